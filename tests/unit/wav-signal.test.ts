import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DecodedCache } from '../../electron/api/services/recordings/decoded-cache.ts';
import { computeSpectrogramTile } from '../../electron/api/services/recordings/signal-views.ts';
import { FRAMES_PER_COLUMN } from '../../electron/api/services/recordings/spectrogram-tiles.ts';
import { decodeFile } from '../../electron/audio/decode.ts';
import { LogMelExtractor } from '../../electron/audio/mel.ts';
import { DEFAULT_FEATURES } from '../../electron/audio/settings.ts';
import { inMemorySource, slicePeaks, type SignalSource } from '../../electron/audio/signal-source.ts';
import { EXACT_PEAK_FRAMES, INDEX_BLOCK, openWavSignal, WavSignal } from '../../electron/audio/wav-signal.ts';
import { maxAbsDiff } from '../helpers/signal.ts';
import { encodeWav, type WavSampleFormat } from '../helpers/wav-writer.ts';

const SR = DEFAULT_FEATURES.sampleRate;
const HOP = DEFAULT_FEATURES.hop;
const extractor = new LogMelExtractor({ ...DEFAULT_FEATURES });
const dir = mkdtempSync(join(tmpdir(), 'ser-wav-signal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A gliding tone in quiet noise on each channel (different on each), with a loud 30 ms 1 kHz burst at `burstSec`. */
function channels(rate: number, seconds: number, count: number, burstSec = seconds / 2): Float32Array[] {
  return Array.from({ length: count }, (_, c) => {
    const x = new Float32Array(Math.round(seconds * rate));
    let state = 7 + c;
    let phase = 0;
    for (let i = 0; i < x.length; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      phase += (2 * Math.PI * (200 + 150 * c + 100 * Math.sin(i / rate))) / rate;
      x[i] = 0.02 * (state / 2 ** 32 - 0.5) + 0.25 * Math.sin(phase);
    }
    const at = Math.round(burstSec * rate);
    for (let i = 0; i < 0.03 * rate && at + i < x.length; i++) x[at + i] += 0.6 * Math.sin((2 * Math.PI * 1000 * i) / rate);
    return x;
  });
}

function writeWav(name: string, rate: number, seconds: number, count: number, format: WavSampleFormat = 'pcm16'): string {
  const path = join(dir, name);
  writeFileSync(path, encodeWav({ sampleRate: rate, format, channels: channels(rate, seconds, count) }));
  return path;
}

async function open(path: string, rate = SR): Promise<WavSignal> {
  const signal = await openWavSignal(path, rate);
  if (!signal) throw new Error(`${path} did not open as PCM WAV`);
  return signal;
}

const bytes = (data: string) => new Uint8Array(Buffer.from(data, 'base64'));

describe('a PCM WAV read in place', () => {
  const cases: [string, number, number, WavSampleFormat][] = [
    ['48 kHz stereo 16-bit', 48000, 2, 'pcm16'],
    ['44.1 kHz mono 16-bit', 44100, 1, 'pcm16'],
    ['16 kHz stereo 24-bit (upsampled)', 16000, 2, 'pcm24'],
    ['22.05 kHz 3-channel 16-bit (no resampling)', 22050, 3, 'pcm16'],
  ];
  for (const [name, rate, count, format] of cases) {
    it(`gives any stretch of ${name} as the same samples of a whole-file decode (to float rounding: |diff| <= 1e-6)`, async () => {
      const path = writeWav(`${rate}-${count}-${format}.wav`, rate, 7.3, count, format);
      const whole = (await decodeFile(path, { targetRate: SR })).samples;
      const signal = await open(path);
      expect(signal.length).toBe(whole.length);
      const padded = inMemorySource(whole, SR);
      // The start (with silence before it), the middle at odd offsets, the end and past it.
      const stretches = [
        { first: -3000, count: 9000 },
        { first: 12_345, count: 4097 },
        { first: 70_001, count: 1 },
        { first: 80_000, count: 30_000 },
        { first: whole.length - 500, count: 2000 },
      ];
      const many = await signal.readMany(stretches);
      for (const [k, { first, count: n }] of stretches.entries()) {
        const expected = await padded.read(first, n);
        const read = await signal.read(first, n);
        expect(read.length).toBe(n);
        expect(maxAbsDiff(read, expected)).toBeLessThanOrEqual(1e-6);
        expect(many[k]).toEqual(read);
      }
    });
  }

  it('opens only integer PCM WAV: float WAVs (whose NaNs the decoder refuses) and other formats decode whole', async () => {
    expect(await openWavSignal(writeWav('float.wav', 48000, 0.5, 1, 'float32'), SR)).toBeNull();
    const cache = new DecodedCache(SR);
    const pcm = await cache.get(writeWav('cache.wav', 48000, 2, 2));
    expect(pcm).toBeInstanceOf(WavSignal);
    // The index, not the samples: 8 bytes per block of source frames.
    expect(pcm.bytes).toBe(Math.ceil(96000 / INDEX_BLOCK) * 8);
    expect(await cache.get(join(dir, 'float.wav'))).not.toBeInstanceOf(WavSignal);
  });
});

describe("a PCM WAV's waveform peaks, at the source's rate", () => {
  it('slices a stretch of up to EXACT_PEAK_FRAMES exactly as the peaks of a decode at the source rate, and near those at the model rate', async () => {
    const path = writeWav('peaks-short.wav', 48000, 9, 2);
    const signal = await open(path);
    const atSource = (await decodeFile(path, { targetRate: 48000 })).samples;
    const atModel = (await decodeFile(path, { targetRate: SR })).samples;
    for (const [points, start, end] of [[2000, 0, 9], [777, 1.2345, 6.01], [50, 4.5, 4.52]] as const) {
      const peaks = await signal.peaks(points, start, end);
      expect(peaks).toEqual(slicePeaks(atSource, points, Math.floor(start * 48000), Math.ceil(end * 48000)));
      // The model-rate signal is the same one band-limited: its peaks lack the noise above 11 kHz and the resampler's
      // ringing spreads a sudden onset over ~3 ms either side, so slices narrower than that (0.4 ms here) may differ more.
      const model = slicePeaks(atModel, points, Math.floor(start * SR), Math.ceil(end * SR));
      expect(Math.abs(Math.max(...peaks) - Math.max(...model))).toBeLessThan(0.01);
      if ((end - start) / points >= 0.004) expect(Math.max(...peaks.map((p, i) => Math.abs(p - model[i])))).toBeLessThan(0.03);
    }
  });

  it("answers a longer stretch from the file's index: each peak over the index blocks its slice overlaps, never below the slice's own", async () => {
    // Not a whole number of index blocks: the last block is a partial one.
    const seconds = Math.ceil(EXACT_PEAK_FRAMES / 48000) + 5.001;
    const path = writeWav('peaks-long.wav', 48000, seconds, 2);
    const signal = await open(path);
    const atSource = (await decodeFile(path, { targetRate: 48000 })).samples;
    const points = 3000;
    const [start, end] = [0.7, seconds - 0.3];
    const peaks = await signal.peaks(points, start, end);
    const first = Math.floor(start * 48000);
    const span = Math.ceil(end * 48000) - first;
    expect(span).toBeGreaterThan(EXACT_PEAK_FRAMES);
    const exact = slicePeaks(atSource, points, first, first + span);
    for (let i = 0; i < points; i++) {
      const from = first + Math.floor((i * span) / points);
      const to = first + Math.floor(((i + 1) * span) / points);
      const widened = slicePeaks(atSource, 1, Math.floor(from / INDEX_BLOCK) * INDEX_BLOCK, Math.ceil(to / INDEX_BLOCK) * INDEX_BLOCK)[0];
      expect(peaks[i]).toBe(widened);
      expect(peaks[i]).toBeGreaterThanOrEqual(exact[i]);
    }
    expect(Math.max(...peaks)).toBe(Math.max(...exact));
  });
});

it('runs the SIMD index loop built from its .wat source as committed (see the .wat for the rebuild)', async () => {
  const root = join(import.meta.dirname, '..', '..');
  const { generate, targetOf } = (await import(join(root, 'scripts', 'build-simd-kernels.mjs'))) as {
    generate(wat: string): Promise<string>;
    targetOf(wat: string): string;
  };
  const wat = join(root, 'electron', 'audio', 'pcm16-index-simd.wat');
  expect(readFileSync(targetOf(wat), 'utf8')).toBe(await generate(wat));
});

describe("spectrogram tiles from a PCM WAV read in place", () => {
  const path = writeWav('tiles.wav', 48000, 40, 2);
  const decoded = decodeFile(path, { targetRate: SR });

  it('equal the tiles of its whole-file decode where every frame is computed', async () => {
    const signal = await open(path);
    const whole = inMemorySource((await decoded).samples, SR);
    for (const [start, end, columns] of [[0, 12, 4096], [3.3, 31.7, 400], [35, 40, 100]] as const) {
      expect(Math.ceil(((end - start) * SR) / HOP / columns)).toBeLessThanOrEqual(FRAMES_PER_COLUMN);
      const [a, b] = [await computeSpectrogramTile(signal, extractor, start, end, columns), await computeSpectrogramTile(whole, extractor, start, end, columns)];
      expect(a).toEqual(b);
      expect(Math.max(...bytes(a.data))).toBeGreaterThan(150);
    }
  });

  it("ranks frames by the energy of the source-rate samples of the index blocks each frame's hop-long block overlaps", async () => {
    const signal = await open(path);
    const atSource = (await decodeFile(path, { targetRate: 48000 })).samples;
    const [first, last] = [0, (40 * SR) / HOP];
    const energies = await signal.frameEnergies(HOP, first, last);
    const ratio = 48000 / SR;
    for (let t = first; t < last; t += 37) {
      const from = Math.floor((Math.max(0, t * HOP - HOP / 2) * ratio) / INDEX_BLOCK) * INDEX_BLOCK;
      const to = Math.min(atSource.length, Math.ceil(((Math.max(0, t * HOP - HOP / 2) + HOP) * ratio) / INDEX_BLOCK) * INDEX_BLOCK);
      let e = 0;
      for (let i = from; i < to; i++) e += atSource[i] * atSource[i];
      // Each block's sum is kept as a float32.
      expect(Math.abs(energies[t] - e)).toBeLessThanOrEqual(1e-6 * e);
    }
  });

  it("zoomed out, compute its frames from the file as the decode's own samples, the loudest chosen by the file's index", async () => {
    const signal = await open(path);
    const samples = (await decoded).samples;
    // The decode's samples, with the frames chosen as the file's index chooses them.
    const hybrid: SignalSource = { ...inMemorySource(samples, SR), frameEnergies: (hop, first, last) => signal.frameEnergies(hop, first, last) };
    const columns = 64;
    expect((40 * SR) / HOP / columns).toBeGreaterThan(FRAMES_PER_COLUMN);
    const tile = await computeSpectrogramTile(signal, extractor, 0, 40, columns);
    expect(tile).toEqual(await computeSpectrogramTile(hybrid, extractor, 0, 40, columns));
    // The 30 ms burst at 20 s, in a column of the quieter tone, is what that column shows at 1 kHz.
    const data = bytes(tile.data);
    const column = Math.floor((20.015 - tile.startSec + tile.frameSec / 2) / tile.frameSec);
    const row = (j: number) => data.subarray(j * 128, (j + 1) * 128);
    // Mel band of 1 kHz: 15 Slaney mels (linear below 1 kHz) of the ~50 up to 11,025 Hz, over 128 bands.
    const band = Math.round((15 / (15 + (27 * Math.log(11025 / 1000)) / Math.log(6.4))) * 128);
    const loudest = row(column).indexOf(Math.max(...row(column)));
    expect(Math.abs(loudest - band)).toBeLessThanOrEqual(2);
    expect(row(column)[loudest]).toBeGreaterThan(row(column - 3)[loudest] + 20);
  });
});
