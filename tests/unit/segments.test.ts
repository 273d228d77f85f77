import { describe, expect, it } from 'vitest';
import { NO_SPEECH } from '../../electron/shared/outcomes.ts';
import { ownedUntil, segmentsOf, type TimelineWindow } from '../../electron/shared/segments.ts';

const LABELS = ['a', 'b'];
/** A window of `length` s from `start` whose top label is `top` with probability p (the other label gets 1 - p). */
const w = (start: number, top: 'a' | 'b', p: number, speech: number | null = 1, length = 3): TimelineWindow => ({
  startSec: start,
  endSec: start + length,
  probabilities: top === 'a' ? [p, 1 - p] : [1 - p, p],
  speech,
});
/** The segments without their float means, which are checked apart. */
const spans = (windows: TimelineWindow[]) => segmentsOf(windows, LABELS).map((s) => [s.label, s.startSec, s.endSec, s.durationSec, s.windows]);

describe('segmentsOf', () => {
  it('joins overlapping windows of one top label; each window owns the time up to the next start, the last up to its end', () => {
    // 3 s windows every 1.5 s: a a b, then two windows without speech (5% and none).
    const windows = [w(0, 'a', 0.8), w(1.5, 'a', 0.6), w(3, 'b', 0.7), w(4.5, 'a', 0.9, 0.05), w(6, 'b', 0.9, 0)];
    expect(spans(windows)).toEqual([
      ['a', 0, 3, 3, 2],
      ['b', 3, 4.5, 1.5, 1],
      [NO_SPEECH, 4.5, 9, 4.5, 2],
    ]);
    const segments = segmentsOf(windows, LABELS);
    expect(segments[0].meanProbability).toBeCloseTo(0.7, 12);
    expect(segments[1].meanProbability).toBeCloseTo(0.7, 12);
    // Whatever the model made of silence is no one's emotion.
    expect(segments[2].meanProbability).toBeNull();
  });

  it('breaks a run at a stretch no window covers, and makes no segment of the gap', () => {
    // Classified 0-4.5 s and 10-14.5 s only (two stretches of a long recording).
    const windows = [w(0, 'a', 0.6), w(1.5, 'a', 0.6), w(10, 'a', 0.6), w(11.5, 'b', 0.6)];
    expect(spans(windows)).toEqual([
      ['a', 0, 4.5, 4.5, 2],
      ['a', 10, 11.5, 1.5, 1],
      ['b', 11.5, 14.5, 3, 1],
    ]);
  });

  it('splits one label around a stretch without speech', () => {
    expect(spans([w(0, 'a', 0.6), w(1.5, 'a', 0.6, 0), w(3, 'a', 0.6)])).toEqual([
      ['a', 0, 1.5, 1.5, 1],
      [NO_SPEECH, 1.5, 3, 1.5, 1],
      ['a', 3, 6, 3, 1],
    ]);
  });

  it('counts an unmeasured share (null) and one of exactly MIN_SPEECH_SHARE as speech', () => {
    expect(spans([w(0, 'b', 0.6, null), w(1.5, 'b', 0.6, 0.1), w(3, 'b', 0.6, 0.099)])).toEqual([
      ['b', 0, 3, 3, 2],
      [NO_SPEECH, 3, 6, 3, 1],
    ]);
  });

  it('gives no segment for no windows, and one for a single window', () => {
    expect(segmentsOf([], LABELS)).toEqual([]);
    expect(spans([w(2, 'b', 0.55, 1, 1.2)])).toEqual([['b', 2, 3.2, 1.2000000000000002, 1]]);
  });
});

describe('ownedUntil', () => {
  it('ends a window at the next start where they overlap or touch, at its own end before a gap', () => {
    const windows = [w(0, 'a', 1), w(1.5, 'a', 1), w(4.5, 'a', 1), w(9, 'a', 1)];
    expect(windows.map((_, i) => ownedUntil(windows, i))).toEqual([1.5, 4.5, 7.5, 12]);
  });
});
