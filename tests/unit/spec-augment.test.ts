import { describe, expect, it } from 'vitest';
import { scheduledLearningRate } from '../../electron/ml/fit.ts';
import { DEFAULT_SPEC_AUGMENT, specAugment } from '../../electron/ml/spec-augment.ts';
import { speechBounds } from '../../electron/audio/speech-bounds.ts';
import { createRandom } from '../../electron/shared/random.ts';

const N_MELS = 128;
const FRAMES = 130;
const ones = () => new Float32Array(N_MELS * FRAMES).fill(1);

/** Rows whose every cell is 0, and columns whose every cell is 0. */
function maskedLines(x: Float32Array): { rows: number[]; columns: number[] } {
  const rows = Array.from({ length: N_MELS }, (_, m) => m).filter((m) => x.subarray(m * FRAMES, (m + 1) * FRAMES).every((v) => v === 0));
  const columns = Array.from({ length: FRAMES }, (_, t) => t).filter((t) => Array.from({ length: N_MELS }, (_, m) => x[m * FRAMES + t]).every((v) => v === 0));
  return { rows, columns };
}

describe('specAugment', () => {
  it('zeroes whole bands and whole frames only, within the policy widths', () => {
    const random = createRandom(3);
    let sawBands = false;
    let sawFrames = false;
    for (let k = 0; k < 40; k++) {
      const input = ones();
      const out = specAugment(input, N_MELS, FRAMES, DEFAULT_SPEC_AUGMENT, random);
      expect(input.every((v) => v === 1)).toBe(true);
      const { rows, columns } = maskedLines(out);
      // Every zero lies on a masked band or frame: nothing else was touched.
      for (let m = 0; m < N_MELS; m++) {
        for (let t = 0; t < FRAMES; t++) if (out[m * FRAMES + t] === 0) expect(rows.includes(m) || columns.includes(t)).toBe(true);
      }
      expect(rows.length).toBeLessThanOrEqual(2 * DEFAULT_SPEC_AUGMENT.maxFreqWidth);
      expect(columns.length).toBeLessThanOrEqual(2 * DEFAULT_SPEC_AUGMENT.maxTimeWidth);
      sawBands ||= rows.length > DEFAULT_SPEC_AUGMENT.maxFreqWidth;
      sawFrames ||= columns.length > DEFAULT_SPEC_AUGMENT.maxTimeWidth;
    }
    // Two masks of each kind: some draws mask more than one mask's width.
    expect(sawBands && sawFrames).toBe(true);
  });

  it('is repeatable for a seed and masks nothing with an empty policy', () => {
    const a = specAugment(ones(), N_MELS, FRAMES, DEFAULT_SPEC_AUGMENT, createRandom(8));
    const b = specAugment(ones(), N_MELS, FRAMES, DEFAULT_SPEC_AUGMENT, createRandom(8));
    expect(Array.from(a)).toEqual(Array.from(b));
    const none = specAugment(ones(), N_MELS, FRAMES, { freqMasks: 0, maxFreqWidth: 0, timeMasks: 0, maxTimeWidth: 0 }, createRandom(8));
    expect(none.every((v) => v === 1)).toBe(true);
    expect(() => specAugment(new Float32Array(10), N_MELS, FRAMES, DEFAULT_SPEC_AUGMENT, createRandom(1))).toThrow(/128 x 130/);
  });
});

describe('scheduledLearningRate', () => {
  it('keeps a constant rate, and takes a cosine from the rate to a hundredth of it', () => {
    expect(scheduledLearningRate('constant', 0.001, 7, 30)).toBe(0.001);
    expect(scheduledLearningRate('cosine', 0.001, 1, 30)).toBeCloseTo(0.001, 12);
    expect(scheduledLearningRate('cosine', 0.001, 30, 30)).toBeCloseTo(0.00001, 12);
    // Halfway (epoch 3 of 5): the mean of the ends.
    expect(scheduledLearningRate('cosine', 0.001, 3, 5)).toBeCloseTo((0.001 + 0.00001) / 2, 12);
  });
});

describe('speechBounds', () => {
  it('finds a tone between stretches of quiet noise, to the frame', () => {
    const sr = 16000;
    const random = createRandom(1);
    const x = Float32Array.from({ length: sr * 2 }, () => 0.001 * random.normal());
    for (let i = 8000; i < 24000; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 220 * i) / sr);
    const { start, end } = speechBounds(x, sr);
    // 25 ms frames are 400 samples: the tone fills frames 20..59.
    expect(start).toBe(8000);
    expect(end).toBe(24000);
  });

  it('gives an empty stretch for digital silence', () => {
    expect(speechBounds(new Float32Array(1000), 16000)).toEqual({ start: 0, end: 0 });
  });
});
