import { describe, expect, it } from 'vitest';
import { isHeldOut, predictedLabel, scoreHeldOut } from '../../electron/annotation/held-out.ts';
import { rankForLabelling, uncertainty, type CandidateWindow } from '../../electron/annotation/label-queue.ts';

const LABELS = ['a', 'b', 'c'];
const w = (recordingId: number, startSec: number, probabilities: number[], speech: number | null = 1): CandidateWindow => ({
  recordingId,
  startSec,
  endSec: startSec + 3,
  probabilities,
  speech,
});

describe('uncertainty', () => {
  it('is 1 minus the margin between the two most probable classes', () => {
    expect(uncertainty([0.5, 0.3, 0.2], 'margin')).toBeCloseTo(0.8, 12);
    expect(uncertainty([0.1, 0.1, 0.8], 'margin')).toBeCloseTo(0.3, 12);
    expect(uncertainty([1, 0, 0], 'margin')).toBe(0);
  });

  it('is the entropy over its maximum, ln K', () => {
    expect(uncertainty([1 / 3, 1 / 3, 1 / 3], 'entropy')).toBeCloseTo(1, 12);
    expect(uncertainty([1, 0, 0], 'entropy')).toBe(0);
    // Hand-computed: -(0.5 ln 0.5 + 2 * 0.25 ln 0.25) / ln 3 = 1.0397 / 1.0986.
    expect(uncertainty([0.5, 0.25, 0.25], 'entropy')).toBeCloseTo((0.5 * Math.log(2) + 0.5 * Math.log(4)) / Math.log(3), 12);
  });
});

describe('the label-next queue', () => {
  it('puts the least sure windows with speech first, leaving out annotated ones and overlaps of queued ones', () => {
    const windows = [
      w(1, 0, [0.9, 0.05, 0.05]), // sure, and half covered by the window at 1.5 once queued
      w(1, 1.5, [0.4, 0.35, 0.25]), // margin 0.05: the least sure
      w(1, 3, [0.45, 0.35, 0.2]), // margin 0.1, but half covered by the window at 1.5
      w(2, 0, [0.34, 0.33, 0.33], 0.02), // unsure, but no speech
      w(2, 3, [0.2, 0.5, 0.3]), // margin 0.2
      w(3, 0, [0.3, 0.3, 0.4]), // margin 0.1, annotated already
      w(3, 6, [0.6, 0.1, 0.3], null), // speech never measured: asked about
    ];
    const annotated = new Map([[3, [{ startSec: 0, endSec: 2 }]]]);
    const queue = rankForLabelling(windows, LABELS, annotated, 'margin', 10);
    expect(queue.map((q) => [q.recordingId, q.startSec, q.suggestion])).toEqual([
      [1, 1.5, 'a'],
      [2, 3, 'b'],
      [3, 6, 'a'],
    ]);
    expect(queue[0].uncertainty).toBeCloseTo(0.95, 12);
    expect(queue[0].confidence).toBe(0.4);
    expect(rankForLabelling(windows, LABELS, annotated, 'margin', 2)).toHaveLength(2);
  });
});

describe('held-out labels', () => {
  it('holds out every fifth annotation by id', () => {
    expect([1, 2, 3, 4, 5, 6, 10, 15].filter(isHeldOut)).toEqual([5, 10, 15]);
  });

  it("scores a model on them by the mean of its windows centred in each stretch", () => {
    const windows = [
      { startSec: 0, endSec: 3, probabilities: [0.6, 0.3, 0.1], speech: 1 },
      { startSec: 1.5, endSec: 4.5, probabilities: [0.1, 0.5, 0.4], speech: 1 },
      { startSec: 3, endSec: 6, probabilities: [0.1, 0.1, 0.8], speech: 0 },
    ];
    // Centres 1.5 and 3 lie in 1..3.5: mean (0.35, 0.4, 0.25) -> b.
    expect(predictedLabel({ recordingId: 1, startSec: 1, endSec: 3.5, label: 'b' }, windows, LABELS)).toBe('b');
    // No centre in 5..5.5: the window overlapping it most (3-6) though it lacks speech, the only one there.
    expect(predictedLabel({ recordingId: 1, startSec: 5, endSec: 5.5, label: 'c' }, windows, LABELS)).toBe('c');
    expect(predictedLabel({ recordingId: 1, startSec: 7, endSec: 8, label: 'c' }, windows, LABELS)).toBeNull();
    const spans = [
      { recordingId: 1, startSec: 1, endSec: 3.5, label: 'b' },
      { recordingId: 1, startSec: 0, endSec: 2, label: 'b' }, // centre 1.5 only: a, wrong
      { recordingId: 1, startSec: 7, endSec: 8, label: 'a' }, // no window: not scored
      { recordingId: 1, startSec: 0, endSec: 3, label: 'z' }, // a label the model lacks: not scored
    ];
    expect(scoreHeldOut(spans, () => windows, LABELS)).toEqual({ correct: 1, n: 2 });
  });
});
