import { describe, expect, it } from 'vitest';
import {
  applyTemperature,
  calibrationSummary,
  fitTemperature,
  outcomeOf,
  temperatureNll,
  thresholdForPrecision,
  UNCERTAIN,
  type ConfidenceOutcome,
} from '../../electron/ml/calibration.ts';
import { evaluatePredictions } from '../../electron/ml/evaluate.ts';
import { wilsonInterval } from '../../electron/shared/wilson.ts';

describe('temperature scaling', () => {
  it('fits T = 2 where two of three 0.8 answers are right', () => {
    // Logit gap d = log 4 on all three; NLL(β) = 2·log(1 + e^(−βd)) + log(1 + e^(βd)) is least where
    // sigmoid(βd) = 2/3, i.e. βd = log 2: T = log 4 / log 2 = 2, and the scaled top probability is 2/3.
    const probabilities = [0.8, 0.8, 0.8].map((p) => Float32Array.of(p, 1 - p));
    const t = fitTemperature(probabilities, [0, 0, 1]);
    expect(t).toBeCloseTo(2, 5);
    const scaled = applyTemperature(probabilities[0], t);
    expect(scaled[0]).toBeCloseTo(2 / 3, 5);
    expect(scaled[1]).toBeCloseTo(1 / 3, 5);
  });

  it('finds the minimum a brute-force grid finds on a three-class set', () => {
    const probabilities = [
      [0.7, 0.2, 0.1],
      [0.5, 0.3, 0.2],
      [0.1, 0.85, 0.05],
      [0.3, 0.3, 0.4],
      [0.6, 0.1, 0.3],
    ].map((p) => Float32Array.from(p));
    const labels = [0, 1, 1, 2, 2];
    let grid = { t: 0, nll: Infinity };
    for (let t = 0.1; t <= 10; t += 1e-4) {
      const nll = temperatureNll(probabilities, labels, t);
      if (nll < grid.nll) grid = { t, nll };
    }
    const fitted = fitTemperature(probabilities, labels);
    expect(fitted).toBeCloseTo(grid.t, 3);
    expect(temperatureNll(probabilities, labels, fitted)).toBeLessThanOrEqual(grid.nll + 1e-12);
  });

  it('equals softmax(logits / T) of the logits behind the probabilities', () => {
    const logits = [2, -1, 0.5];
    const softmax = (z: number[]) => z.map((v) => Math.exp(v) / z.reduce((s, w) => s + Math.exp(w), 0));
    const scaled = applyTemperature(Float32Array.from(softmax(logits)), 1.7);
    softmax(logits.map((z) => z / 1.7)).forEach((p, k) => expect(scaled[k]).toBeCloseTo(p, 6));
  });
});

describe('expected calibration error', () => {
  it('weights each 15th of [0, 1] by its share of the answers', () => {
    const outcomes: ConfidenceOutcome[] = [
      // (14/15, 1]: confidence 2.86 / 3, accuracy 2/3, gap 0.86 / 3
      { confidence: 0.95, correct: true },
      { confidence: 0.94, correct: true },
      { confidence: 0.97, correct: false },
      // (8/15, 9/15]: gap 0.45
      { confidence: 0.55, correct: true },
      // (4/15, 5/15]: gap 0.30
      { confidence: 0.3, correct: false },
    ];
    const { ece, bins } = calibrationSummary(outcomes);
    // (0.86 + 0.45 + 0.30) / 5
    expect(ece).toBeCloseTo(0.322, 10);
    expect(bins).toHaveLength(15);
    expect(bins.map((b) => b.count)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 3]);
    expect(bins[14]).toMatchObject({ lower: 14 / 15, upper: 1, accuracy: 2 / 3 });
    expect(bins[14].confidence).toBeCloseTo(2.86 / 3, 12);
  });

  it('is 0 for answers exactly as right as they are confident', () => {
    const outcomes = [true, true, true, false].map((correct) => ({ confidence: 0.75, correct }));
    expect(calibrationSummary(outcomes).ece).toBeCloseTo(0, 12);
  });
});

describe('the confidence threshold', () => {
  const outcomes: ConfidenceOutcome[] = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4].map((confidence, i) => ({ confidence, correct: [true, true, false, true, false, false][i] }));

  it('keeps the most answers whose precision reaches the target, even past a dip', () => {
    // Top 3 are 2/3 right, top 4 are 3/4: the 75% cut is at 0.6, not at 0.8 where it first dips.
    expect(thresholdForPrecision(outcomes, 0.75)).toEqual({ threshold: 0.6, precision: 0.75, coverage: 4 / 6 });
    expect(thresholdForPrecision(outcomes)).toEqual({ threshold: 0.8, precision: 1, coverage: 2 / 6 });
  });

  it('never cuts between equal confidences, and is null when no cut reaches the target', () => {
    const tied = [
      { confidence: 0.9, correct: true },
      { confidence: 0.9, correct: false },
      { confidence: 0.5, correct: true },
    ];
    expect(thresholdForPrecision(tied, 0.6)).toEqual({ threshold: 0.5, precision: 2 / 3, coverage: 1 });
    expect(thresholdForPrecision(tied, 0.8)).toBeNull();
  });

  it('turns answers below the threshold into uncertain', () => {
    expect(outcomeOf('happy', 0.59, 0.6)).toBe(UNCERTAIN);
    expect(outcomeOf('happy', 0.6, 0.6)).toBe('happy');
    expect(outcomeOf('happy', 0.01, null)).toBe('happy');
  });
});

describe('the Wilson interval', () => {
  it('matches the published 95% interval for 8 of 10', () => {
    const { lower, upper } = wilsonInterval(8, 10);
    expect(lower).toBeCloseTo(0.4902, 4);
    expect(upper).toBeCloseTo(0.9433, 4);
  });

  it('stays inside [0, 1] at the extremes and refuses non-counts', () => {
    // 0 of 10: upper = z² / (n + z²) = 3.8415 / 13.8415
    expect(wilsonInterval(0, 10).lower).toBe(0);
    expect(wilsonInterval(0, 10).upper).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(10, 10).upper).toBeCloseTo(1, 12);
    expect(wilsonInterval(10, 10).lower).toBeCloseTo(1 - 0.2775, 4);
    expect(wilsonInterval(0, 0)).toEqual({ lower: 0, upper: 1 });
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
  });
});

describe('evaluations', () => {
  it('give the Wilson interval beside the accuracy, and the ECE when every prediction has a confidence', () => {
    // 8 of 10 right, every answer at 0.8 confidence: perfectly calibrated.
    const predictions = Array.from({ length: 10 }, (_, i) => ({ label: 'a', predicted: i < 8 ? 'a' : 'b', confidence: 0.8 }));
    const e = evaluatePredictions(['a', 'b'], predictions);
    expect(e.accuracyInterval.lower).toBeCloseTo(0.4902, 4);
    expect(e.accuracyInterval.upper).toBeCloseTo(0.9433, 4);
    expect(e.calibration?.ece).toBeCloseTo(0, 12);
    expect(e.calibration?.bins[11]).toMatchObject({ count: 10, accuracy: 0.8 });
    expect(evaluatePredictions(['a', 'b'], [{ label: 'a', predicted: 'a' }]).calibration).toBeNull();
  });
});
