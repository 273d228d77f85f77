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

  it("'centre-on-speech' centres the window on the speech, skipping silence of any length", () => {
    // Silence 0..1999 and 2500..3999; speech (a 10 Hz square wave) at 2000..2499: 500 samples, longer than the window.
    const x = new Float32Array(4000);
    for (let i = 2000; i < 2500; i++) x[i] = Math.floor(i / 5) % 2 ? 0.5 : -0.5;
    const out = trainingWindow(x, settings, 'centre-on-speech');
    // 25 ms frames at 100 Hz are 3 samples: the speech starts at frame 666 (sample 1998) and ends after sample 2501.
    // Centred, the window starts 1998 + round((504 - 300) / 2) = 2100.
    expect(Array.from(out)).toEqual(Array.from(x.subarray(2100, 2400)));
  });

  it("'centre-on-speech' puts speech shorter than a window in its middle", () => {
    const x = new Float32Array(2000);
    x.fill(0.5, 1200, 1290);
    const out = trainingWindow(x, settings, 'centre-on-speech');
    // Speech 1200..1290 (frames 400..429 are 1200..1290): start 1200 - round((300 - 90) / 2) = 1095.
    expect(out.indexOf(0.5)).toBe(105);
    expect(out.lastIndexOf(0.5)).toBe(194);
  });

  it('a crop position places the window along the clip, kept inside it', () => {
    const x = ramp(1000);
    expect(trainingWindow(x, settings, 'first', 0)[0]).toBe(1);
    expect(trainingWindow(x, settings, 'first', 1)[0]).toBe(701);
    expect(trainingWindow(x, settings, 'first', 0.5)[0]).toBe(351);
    expect(trainingWindow(x, settings, 'centre-on-energy', 0.5)[0]).toBe(351);
    // Shorter than a window: kept at the start, zero-padded at the end.
    expect(Array.from(trainingWindow(ramp(120), settings, 'first', 0.7).subarray(0, 120))).toEqual(Array.from(ramp(120)));
    expect(() => trainingWindow(x, settings, 'first', 1.5)).toThrow(/position/);
  });
});
