import { describe, expect, it } from 'vitest';
import { slidingWindows, type AudioWindow } from '../../electron/audio/windows.ts';
import { toModelInput } from '../../electron/audio/model-input.ts';
import { DEFAULT_FEATURES } from '../../electron/audio/settings.ts';

const settings = { ...DEFAULT_FEATURES, sampleRate: 100, windowSeconds: 3 };

/** A ramp whose value is its own sample index, so each window shows exactly which samples it got. */
function ramp(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => i + 1);
}

function chunked(x: Float32Array, size: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < x.length; i += size) out.push(x.subarray(i, i + size));
  return out;
}

async function collect(chunks: Float32Array[], hop: number): Promise<AudioWindow[]> {
  const out: AudioWindow[] = [];
  for await (const w of slidingWindows(chunks, settings, hop)) out.push(w);
  return out;
}

describe('slidingWindows', () => {
  it('zero-pads a clip shorter than one window', async () => {
    const [w, ...rest] = await collect([ramp(120)], 1.5);
    expect(rest).toHaveLength(0);
    expect(w.start).toBe(0);
    expect(w.end).toBeCloseTo(1.2);
    expect(w.samples.length).toBe(300);
    expect(w.samples[119]).toBe(120);
    expect(w.samples[120]).toBe(0);
  });

  it('hops through a long clip and aligns a last window to the end', async () => {
    const windows = await collect([ramp(1000)], 1.5);
    expect(windows.map((w) => w.start)).toEqual([0, 1.5, 3, 4.5, 6, 7]);
    const last = windows[windows.length - 1];
    expect(last.samples[0]).toBe(701);
    expect(last.samples[299]).toBe(1000);
  });

  it('gives the same windows whatever the chunking', async () => {
    const x = ramp(1234);
    const whole = await collect([x], 1);
    for (const size of [1, 7, 300, 999]) {
      const parts = await collect(chunked(x, size), 1);
      expect(parts.map((w) => [w.start, w.end])).toEqual(whole.map((w) => [w.start, w.end]));
      parts.forEach((w, i) => expect(Array.from(w.samples)).toEqual(Array.from(whole[i].samples)));
    }
  });

  it('yields nothing for no samples', async () => {
    expect(await collect([], 1)).toHaveLength(0);
  });
});

describe('toModelInput', () => {
  const mel = { frames: 2, nMels: 3, db: Float64Array.from([0, -10, -20, -30, -40, -50]) };

  it('transposes frame-major dB into [mel][frame]', () => {
    expect(Array.from(toModelInput(mel, 'none'))).toEqual([0, -30, -10, -40, -20, -50]);
  });

  it('standardises each window to mean 0 and standard deviation 1', () => {
    const x = toModelInput(mel, 'per-clip-standardise');
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
    expect(mean).toBeCloseTo(0, 6);
    expect(sd).toBeCloseTo(1, 6);
  });

  it('keeps digital silence finite', () => {
    const flat = { frames: 2, nMels: 2, db: new Float64Array(4) };
    expect(Array.from(toModelInput(flat, 'per-clip-standardise'))).toEqual([0, 0, 0, 0]);
  });
});
