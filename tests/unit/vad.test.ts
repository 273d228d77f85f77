import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFile } from '../../electron/audio/decode.ts';
import { detectVoiceActivity, speechShare } from '../../electron/audio/vad.ts';
import { createRandom } from '../../electron/shared/random.ts';
import { sharedDir, skipMessage } from '../helpers/shared.ts';

const SR = 22050;
const random = createRandom(7);
const noise = (seconds: number, rms: number) => Float32Array.from({ length: Math.round(seconds * SR) }, () => rms * random.normal());
const speechFrames = (x: Float32Array) => detectVoiceActivity(x, SR).speech.reduce((n, v) => n + v, 0);

function join3(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('detectVoiceActivity on what is not speech', () => {
  it('finds no speech in digital silence, room noise, white noise, a steady tone, a hum, or a tone starting after silence', () => {
    const tone = Float32Array.from({ length: 3 * SR }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / SR));
    const hum = Float32Array.from({ length: 3 * SR }, (_, i) => (Math.sin((2 * Math.PI * 100 * i) / SR) >= 0 ? 0.3 : -0.3));
    for (const x of [new Float32Array(3 * SR), noise(3, 0.001), noise(3, 0.3), tone, hum, join3(new Float32Array(SR), tone)]) {
      expect(speechFrames(x)).toBe(0);
    }
  });

  it('gives 10 ms frames and no frame for a clip shorter than one', () => {
    expect(detectVoiceActivity(noise(1, 0.1), SR).frameSeconds).toBeCloseTo(0.01, 3);
    expect(detectVoiceActivity(new Float32Array(100), SR).speech.length).toBe(0);
  });
});

describe('detectVoiceActivity on speech (espeak-ng)', () => {
  let speech: Float32Array;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ser-vad-'));
    const wav = join(dir, 'speech.wav');
    execFileSync('espeak-ng', ['-w', wav, 'Kids are talking by the door. Dogs are sitting by the door.']);
    speech = (await decodeFile(wav, { targetRate: SR })).samples;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('marks the speech and not the silence around it, also under noise at about 25 dB SNR', () => {
    const seconds = speech.length / SR;
    for (const floor of [0, 0.003]) {
      const x = join3(new Float32Array(SR), speech, new Float32Array(SR));
      if (floor > 0) noise(x.length / SR, floor).forEach((v, i) => (x[i] += v));
      const activity = detectVoiceActivity(x, SR);
      expect(speechShare(activity, 0, 0.95)).toBe(0);
      expect(speechShare(activity, 1 + seconds + 0.05, 2 + seconds)).toBe(0);
      // espeak pauses between the sentences; the rest is speech.
      expect(speechShare(activity, 1, 1 + seconds)).toBeGreaterThan(0.6);
    }
  });
});

const ravdess = sharedDir('data', 'ravdess', 'Actor_01');
if (!ravdess) console.warn(skipMessage('RAVDESS voice activity', 'data', 'ravdess'));
describe('detectVoiceActivity on RAVDESS', () => {
  it.skipIf(!ravdess)('finds speech in every clip of Actor_01, and none in the first 0.3 s of leading silence', async () => {
    const files = readdirSync(ravdess as string).filter((f) => f.endsWith('.flac'));
    expect(files.length).toBe(60);
    for (const f of files) {
      const { samples, sampleRate } = await decodeFile(join(ravdess as string, f));
      const activity = detectVoiceActivity(samples, sampleRate);
      expect(speechShare(activity, 0, 0.3), f).toBe(0);
      expect(speechShare(activity, 0, samples.length / sampleRate), f).toBeGreaterThan(0.2);
    }
  });
});
