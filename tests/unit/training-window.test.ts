import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURES } from '../../electron/audio/settings.ts';
import { DEFAULT_TRAINING_WINDOW, trainingWindow } from '../../electron/audio/training-window.ts';

// 100 Hz and 3 s windows: 300 samples, small enough to check sample by sample.
const settings = { ...DEFAULT_FEATURES, sampleRate: 100, windowSeconds: 3 };

function ramp(n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => i + 1);
}

describe('trainingWindow', () => {
  it("defaults to the baseline's first window", () => {
    expect(DEFAULT_TRAINING_WINDOW).toBe('first');
  });

  it("'first' takes the first 300 samples of a longer clip", () => {
    const out = trainingWindow(ramp(1000), settings, 'first');
    expect(Array.from(out)).toEqual(Array.from(ramp(300)));
  });

  it('zero-pads a short clip at the end, with either strategy', () => {
    for (const strategy of ['first', 'centre-on-energy'] as const) {
      const out = trainingWindow(ramp(120), settings, strategy);
      expect(out.length).toBe(300);
      expect(Array.from(out.subarray(0, 120))).toEqual(Array.from(ramp(120)));
      expect(Array.from(out.subarray(120))).toEqual(new Array(180).fill(0));
    }
  });

  it("'centre-on-energy' takes the window with the most energy, the earliest of equals", () => {
    // Quiet hum everywhere, a loud burst at samples 600..699: windows starting 400..600 all hold
    // the whole burst; 400 is the earliest.
    const x = new Float32Array(1000).fill(0.01);
    x.fill(1, 600, 700);
    const out = trainingWindow(x, settings, 'centre-on-energy');
    expect(Array.from(out.subarray(200, 300))).toEqual(new Array(100).fill(1));
    expect(out[199]).toBeCloseTo(0.01, 6);
  });

  it('finds a loud stretch at the very end', () => {
    const x = new Float32Array(1000);
    x.fill(0.5, 900);
    const out = trainingWindow(x, settings, 'centre-on-energy');
    expect(Array.from(out.subarray(200))).toEqual(new Array(100).fill(0.5));
    expect(Array.from(out.subarray(0, 200))).toEqual(new Array(200).fill(0));
  });

  it('returns a new array, never a view of the input', () => {
    const x = ramp(300);
    const out = trainingWindow(x, settings, 'first');
    out[0] = -1;
    expect(x[0]).toBe(1);
  });
});
