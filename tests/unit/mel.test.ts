import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LogMelExtractor } from '../../electron/audio/mel.ts';
import { DEFAULT_FEATURES, framesFor } from '../../electron/audio/settings.ts';
import { decodeFile } from '../../electron/audio/decode.ts';
import { sharedDir, skipMessage } from '../helpers/shared.ts';

const settings = { ...DEFAULT_FEATURES };
const extractor = new LogMelExtractor(settings);

function sine(freq: number, seconds: number, sr = settings.sampleRate): Float64Array {
  const x = new Float64Array(Math.round(seconds * sr));
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * freq * i) / sr);
  return x;
}

/** Centre frequency of Slaney mel band m (128 bands, 0..11,025 Hz), from the scale's definition. */
function bandCentreHz(m: number): number {
  const toMel = (hz: number) => (hz >= 1000 ? 15 + Math.log(hz / 1000) / (Math.log(6.4) / 27) : (3 * hz) / 200);
  const toHz = (mel: number) => (mel >= 15 ? 1000 * Math.exp((Math.log(6.4) / 27) * (mel - 15)) : (200 * mel) / 3);
  return toHz((toMel(11025) * (m + 1)) / 129);
}

describe('log-mel features', () => {
  it('gives 130 frames for 3 s at hop 512 (center=True)', () => {
    expect(framesFor(66150, settings)).toBe(130);
    expect(extractor.compute(sine(440, 3)).frames).toBe(130);
  });

  it.each([220, 440, 1000, 3000, 8000])('puts a %d Hz sine in the band centred nearest to it', (freq) => {
    const { frames, nMels, db } = extractor.compute(sine(freq, 1));
    const t = Math.floor(frames / 2);
    let best = 0;
    for (let m = 1; m < nMels; m++) if (db[t * nMels + m] > db[t * nMels + best]) best = m;
    let nearest = 0;
    for (let m = 1; m < nMels; m++) {
      if (Math.abs(bandCentreHz(m) - freq) < Math.abs(bandCentreHz(nearest) - freq)) nearest = m;
    }
    expect(Math.abs(best - nearest)).toBeLessThanOrEqual(1);
    expect(db[t * nMels + best]).toBeCloseTo(0, 0);
  });

  it('is 0 dB at the maximum and never below -top_db', () => {
    const { db } = extractor.compute(sine(440, 1));
    expect(Math.max(...db)).toBe(0);
    expect(Math.min(...db)).toBeGreaterThanOrEqual(-80);
  });

  it('scales out: a louder copy of a clip has the same log-mel (ref = max)', () => {
    const a = extractor.compute(sine(1000, 0.5)).db;
    const b = extractor.compute(sine(1000, 0.5).map((v) => v * 0.01)).db;
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-6);
  });
});

const refDir = sharedDir('reference', 'mel');
describe.skipIf(!refDir)('librosa parity on ../shared/reference/mel', () => {
  const clips = refDir ? readdirSync(refDir).filter((f) => f.endsWith('.wav')) : [];
  it('has reference clips', () => expect(clips.length).toBeGreaterThanOrEqual(5));
  it.each(clips)('%s is within 1e-3 dB of the reference', async (clip) => {
    const dir = refDir as string;
    const ref = JSON.parse(readFileSync(join(dir, clip.replace(/\.wav$/, '.mel.json')), 'utf8')) as {
      sr: number;
      n_mels: number;
      frames: number;
      db: number[][];
    };
    const audio = await decodeFile(join(dir, clip));
    expect(audio.sampleRate).toBe(ref.sr);
    const mel = extractor.compute(audio.samples);
    expect(mel.frames).toBe(ref.frames);
    let maxDiff = 0;
    for (let t = 0; t < ref.frames; t++) {
      for (let m = 0; m < ref.n_mels; m++) maxDiff = Math.max(maxDiff, Math.abs(ref.db[t][m] - mel.db[t * mel.nMels + m]));
    }
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
  });
});
if (!refDir) console.warn(skipMessage('librosa parity', 'reference', 'mel'));
