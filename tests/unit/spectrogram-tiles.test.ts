import { describe, expect, it } from 'vitest';
import { computeSpectrogramTile } from '../../electron/api/services/recordings/signal-views.ts';
import { columnEdge, FRAMES_PER_COLUMN } from '../../electron/api/services/recordings/spectrogram-tiles.ts';
import { LogMelExtractor } from '../../electron/audio/mel.ts';
import { DEFAULT_FEATURES } from '../../electron/audio/settings.ts';
import { inMemorySource } from '../../electron/audio/signal-source.ts';

const extractor = new LogMelExtractor({ ...DEFAULT_FEATURES });
const SR = DEFAULT_FEATURES.sampleRate;
const HOP_SEC = DEFAULT_FEATURES.hop / SR;
const N_MELS = DEFAULT_FEATURES.nMels;

/** Quiet noise under tone bursts that glide in pitch: every column of a tile differs from its neighbours. */
function signal(seconds: number, seed = 1): Float32Array {
  const samples = new Float32Array(Math.round(seconds * SR));
  let state = seed;
  let phase = 0;
  for (let i = 0; i < samples.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    const t = i / SR;
    phase += (2 * Math.PI * (300 + 200 * Math.sin(t))) / SR;
    samples[i] = 0.01 * (state / 2 ** 32 - 0.5) + (Math.floor(t * 3) % 2 === 0 ? 0.4 * Math.sin(phase) : 0);
  }
  return samples;
}

const tileOf = (samples: Float32Array, startSec: number, endSec: number, columns: number) =>
  computeSpectrogramTile(inMemorySource(samples, SR), extractor, startSec, endSec, columns);

/**
 * The reference a tile must equal: per mel band, the maximum over the frames each column covers (max, not mean, so a short loud event
 * stays visible when zoomed out). Frame-major in and out; `values` holds frames x nMels.
 */
function maxPoolFrames<T extends Uint8Array | Float64Array>(values: T, frames: number, nMels: number, columns: number): T {
  const out = new (values.constructor as new (n: number) => T)(columns * nMels);
  for (let j = 0; j < columns; j++) {
    const first = columnEdge(j, frames, columns);
    const row = out.subarray(j * nMels, (j + 1) * nMels);
    row.set(values.subarray(first * nMels, (first + 1) * nMels));
    for (let t = first + 1; t < columnEdge(j + 1, frames, columns); t++) {
      for (let m = 0; m < nMels; m++) if (values[t * nMels + m] > row[m]) row[m] = values[t * nMels + m];
    }
  }
  return out;
}

const bytes = (data: string) => new Uint8Array(Buffer.from(data, 'base64'));

describe('maxPoolFrames', () => {
  it('takes, per band, the maximum over the frames of each column; columns split frames at floor(j * frames / columns)', async () => {
    // 5 frames x 2 bands into 2 columns: frames 0-1 and 2-4.
    const values = Uint8Array.from([1, 9, 5, 2, 3, 3, 7, 0, 4, 8]);
    expect([...maxPoolFrames(values, 5, 2, 2)]).toEqual([5, 9, 7, 8]);
    expect([0, 1, 2].map((j) => columnEdge(j, 5, 2))).toEqual([0, 2, 5]);
  });
});

describe('spectrogram tiles', () => {
  const sig = signal(40);

  it('reduces a stretch to the max-pool of the one-shot full-resolution spectrogram of the same stretch', async () => {
    const full = await tileOf(sig, 3.3, 31.7, 4096);
    expect(full.frameSec).toBeCloseTo(HOP_SEC, 12);
    expect(full.frames).toBe(Math.ceil((31.7 * SR) / 512) - Math.ceil((3.3 * SR) / 512));
    for (const columns of [320, 500, 1000]) {
      expect(Math.ceil(full.frames / columns)).toBeLessThanOrEqual(FRAMES_PER_COLUMN); // every frame computed
      const tile = await tileOf(sig, 3.3, 31.7, columns);
      expect(tile.frames).toBe(columns);
      expect(tile.frameSec).toBeCloseTo((full.frames / columns) * HOP_SEC, 12);
      // Column j is centred in the middle of the frames it covers.
      expect(tile.startSec).toBeCloseTo(full.startSec + ((full.frames / columns - 1) / 2) * HOP_SEC, 9);
      expect(bytes(tile.data)).toEqual(maxPoolFrames(bytes(full.data), full.frames, N_MELS, columns));
    }
    // Not quiet everywhere, not loud everywhere: the comparison has something to compare.
    const data = bytes(full.data);
    expect(data.reduce((a, v) => Math.max(a, v))).toBeGreaterThan(200);
    expect(data.reduce((a, v) => Math.min(a, v))).toBeLessThan(100);
  });

  it('joins adjacent tiles into the one-shot result over both when their edge falls on a frame', async () => {
    const a = 100 * HOP_SEC;
    const b = a + 600 * HOP_SEC;
    const c = b + 600 * HOP_SEC;
    const whole = await tileOf(sig, a, c, 4096);
    const left = await tileOf(sig, a, b, 4096);
    const right = await tileOf(sig, b, c, 4096);
    expect([left.frames, right.frames, whole.frames]).toEqual([600, 600, 1200]);
    expect(right.startSec).toBeCloseTo(left.startSec + 600 * HOP_SEC, 9);
    expect(bytes(whole.data)).toEqual(new Uint8Array([...bytes(left.data), ...bytes(right.data)]));
    // Reduced, too: 2 x 150 columns of 600 frames each are the 300 columns of the 1,200.
    const reduced = async (from: number, to: number, columns: number) => bytes((await tileOf(sig, from, to, columns)).data);
    expect(await reduced(a, c, 300)).toEqual(new Uint8Array([...(await reduced(a, b, 150)), ...(await reduced(b, c, 150))]));
  });

  it('is the same tile wherever the rest of the recording is louder or quieter (dB below full scale, not below the stretch)', async () => {
    const loud = signal(40);
    for (let i = 20 * SR; i < loud.length; i++) loud[i] *= 2;
    expect((await tileOf(loud, 1, 9, 64)).data).toBe((await tileOf(sig, 1, 9, 64)).data);
  });

  it('keeps a short loud event visible when a long zoomed-out stretch samples its frames', async () => {
    const long = new Float32Array(600 * SR);
    // 50 ms of 1 kHz at 5 min 3 s, in silence.
    const at = 303 * SR;
    for (let i = 0; i < 0.05 * SR; i++) long[at + i] = 0.5 * Math.sin((2 * Math.PI * 1000 * i) / SR);
    const columns = 200;
    expect(600 / HOP_SEC / columns).toBeGreaterThan(FRAMES_PER_COLUMN); // the sampled regime
    const tile = await tileOf(long, 0, 600, columns);
    expect(tile.frames).toBe(columns);
    const data = bytes(tile.data);
    const loudest = (j: number) => Math.max(...data.subarray(j * N_MELS, (j + 1) * N_MELS));
    const column = Math.floor((303.025 - tile.startSec + tile.frameSec / 2) / tile.frameSec);
    expect(loudest(column)).toBeGreaterThan(200);
    expect(loudest(column - 2)).toBe(0);
  });
});
