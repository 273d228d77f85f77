/**
 * Two accuracies side by side, each with its clips and Wilson 95% interval: a difference of many
 * points between 120 clips and 15 can be chance alone, and the intervals show it.
 * Dependency-free so the renderer can import it too.
 */
import { wilsonInterval, type Interval } from './wilson.ts';

export interface AccuracySide {
  accuracy: number;
  clips: number;
  interval: Interval;
}

export interface AccuracyComparison {
  left: AccuracySide;
  right: AccuracySide;
  /** right − left, a fraction. */
  difference: number;
  /**
   * The two intervals overlap: each accuracy is within what the other's clips allow, so the
   * difference is not shown to be real (a conservative reading, as the intervals are wide for few clips).
   */
  withinOverlap: boolean;
}

/** An evaluation's accuracy over its clips; the correct count is recovered from the stored fraction. */
function accuracySide(accuracy: number, clips: number): AccuracySide {
  return { accuracy, clips, interval: wilsonInterval(Math.round(accuracy * clips), clips) };
}

export function compareAccuracies(left: { accuracy: number; clips: number }, right: { accuracy: number; clips: number }): AccuracyComparison {
  const l = accuracySide(left.accuracy, left.clips);
  const r = accuracySide(right.accuracy, right.clips);
  return {
    left: l,
    right: r,
    difference: r.accuracy - l.accuracy,
    withinOverlap: l.interval.lower <= r.interval.upper && r.interval.lower <= l.interval.upper,
  };
}
