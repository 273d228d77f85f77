import { describe, expect, it } from 'vitest';
import { evaluatePredictions, meanSd, summariseFolds, type LabelledPrediction } from '../../electron/ml/evaluate.ts';

const labels = ['a', 'b', 'c', 'd'];

/**
 * Confusion matrix, worked by hand (rows true, columns predicted; d never occurs):
 *      a b c d
 *   a  2 1 0 0
 *   b  0 1 1 0
 *   c  1 0 2 0
 *   d  0 0 0 0
 */
const predictions: LabelledPrediction[] = [
  { label: 'a', predicted: 'a', speaker: '1', gender: 'male' },
  { label: 'a', predicted: 'a', speaker: '1', gender: 'male' },
  { label: 'a', predicted: 'b', speaker: '1', gender: 'male' },
  { label: 'b', predicted: 'b', speaker: '1', gender: 'male' },
  { label: 'b', predicted: 'c', speaker: '2', gender: 'female' },
  { label: 'c', predicted: 'a', speaker: '2', gender: 'female' },
  { label: 'c', predicted: 'c', speaker: '10', gender: 'female' },
  { label: 'c', predicted: 'c', speaker: '10', gender: 'female' },
];

describe('evaluatePredictions', () => {
  const e = evaluatePredictions(labels, predictions);

  it('counts the confusion matrix and accuracy', () => {
    expect(e.confusion).toEqual([
      [2, 1, 0, 0],
      [0, 1, 1, 0],
      [1, 0, 2, 0],
      [0, 0, 0, 0],
    ]);
    expect(e.clips).toBe(8);
    expect(e.accuracy).toBe(5 / 8);
  });

  it("scores each class as scikit-learn does, an undefined ratio counting as 0", () => {
    const scores = Object.fromEntries(e.classes.map((c) => [c.label, [c.support, c.precision, c.recall, c.f1]]));
    expect(scores.a).toEqual([3, 2 / 3, 2 / 3, 2 / 3]);
    expect(scores.b).toEqual([2, 1 / 2, 1 / 2, 1 / 2]);
    expect(scores.c).toEqual([3, 2 / 3, 2 / 3, 2 / 3]);
    expect(scores.d).toEqual([0, 0, 0, 0]);
    // f1_score(y, p, labels=[a,b,c,d], average='macro', zero_division=0) = 0.458333...
    expect(e.macroF1).toBeCloseTo((2 / 3 + 1 / 2 + 2 / 3 + 0) / 4, 12);
    expect(e.weightedF1).toBeCloseTo(5 / 8, 12);
  });

  it('gives accuracy per gender, the gap between them, and per speaker in natural order', () => {
    expect(e.genders).toEqual([
      { gender: 'male', clips: 4, correct: 3, accuracy: 0.75 },
      { gender: 'female', clips: 4, correct: 2, accuracy: 0.5 },
    ]);
    expect(e.genderGap).toBe(0.25);
    expect(e.speakers).toEqual([
      { speaker: '1', clips: 4, correct: 3, accuracy: 0.75 },
      { speaker: '2', clips: 2, correct: 0, accuracy: 0 },
      { speaker: '10', clips: 2, correct: 2, accuracy: 1 },
    ]);
  });

  it('has no gender gap with one gender, and refuses labels outside the list', () => {
    expect(evaluatePredictions(labels, predictions.slice(0, 4)).genderGap).toBeNull();
    expect(() => evaluatePredictions(labels, [{ label: 'a', predicted: 'z' }])).toThrow(/"z" is not one of/);
  });
});

describe('fold summaries', () => {
  it('gives the mean and sample standard deviation', () => {
    const m = meanSd([0.5, 0.7, 0.9]);
    expect(m.mean).toBeCloseTo(0.7, 12);
    expect(m.sd).toBeCloseTo(0.2, 12);
    expect(meanSd([0.4])).toEqual({ mean: 0.4, sd: 0, n: 1 });
  });

  it('averages the folds and pools their predictions into one evaluation', () => {
    const first = predictions.slice(0, 4); // 3 of 4 right, male only
    const second = predictions.slice(4); // 2 of 4 right, female only
    const summary = summariseFolds(labels, [
      { evaluation: evaluatePredictions(labels, first), predictions: first },
      { evaluation: evaluatePredictions(labels, second), predictions: second },
    ]);
    expect(summary.accuracy.mean).toBeCloseTo(0.625, 12);
    expect(summary.accuracy.sd).toBeCloseTo(Math.SQRT1_2 * 0.25, 12);
    expect(summary.genderGap).toBeNull();
    expect(summary.pooled).toEqual(evaluatePredictions(labels, predictions));
  });
});
