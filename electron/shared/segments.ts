/**
 * A recording's classification timeline as runs of one top label: what a reader of the timeline
 * sees ("angry from 3.0 to 7.5 s, then no speech"), for the recording view's list and the
 * segments CSV. Windows overlap (a hop of half a window), so each owns the time from its start to
 * the next one's start; a stretch no window covers breaks a run, and is no segment of its own.
 */
import { lacksSpeech, NO_SPEECH } from './outcomes.ts';

/** A classified window as the timeline holds it. */
export interface TimelineWindow {
  startSec: number;
  endSec: number;
  /** In the order of the model's labels. */
  probabilities: number[];
  /** Share of the window that holds speech; null where it was not measured. */
  speech: number | null;
}

export interface Segment {
  /** The top label of its windows, or NO_SPEECH. */
  label: string;
  startSec: number;
  endSec: number;
  durationSec: number;
  /** Windows in the run. */
  windows: number;
  /** Mean probability of the label over the run's windows; null for a NO_SPEECH run. */
  meanProbability: number | null;
}

export function topIndex(probabilities: readonly number[]): number {
  let top = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[top]) top = i;
  return top;
}

/** What the timeline calls window `w`: its top label, or NO_SPEECH. */
export function shownLabel(w: TimelineWindow, labels: readonly string[]): string {
  return lacksSpeech(w.speech) ? NO_SPEECH : labels[topIndex(w.probabilities)];
}

/**
 * When window `i` (of windows in order of start) stops owning the time: at the next window's
 * start where they overlap or touch, at its own end where a gap follows.
 */
export function ownedUntil(windows: readonly Pick<TimelineWindow, 'startSec' | 'endSec'>[], i: number): number {
  const own = windows[i];
  const next = windows[i + 1];
  return next ? Math.min(own.endSec, Math.max(own.startSec, next.startSec)) : own.endSec;
}

/** Runs of one shown label over windows in order of start. */
export function segmentsOf(windows: readonly TimelineWindow[], labels: readonly string[]): Segment[] {
  const segments: Segment[] = [];
  let open: { label: string; startSec: number; endSec: number; windows: number; sum: number } | undefined;
  const close = () => {
    if (!open) return;
    const { label, startSec, endSec, windows: n, sum } = open;
    segments.push({ label, startSec, endSec, durationSec: endSec - startSec, windows: n, meanProbability: label === NO_SPEECH ? null : sum / n });
  };
  windows.forEach((w, i) => {
    const label = shownLabel(w, labels);
    const until = ownedUntil(windows, i);
    const p = label === NO_SPEECH ? 0 : w.probabilities[topIndex(w.probabilities)];
    if (open && open.label === label && open.endSec >= w.startSec) {
      open.endSec = until;
      open.windows++;
      open.sum += p;
      return;
    }
    close();
    open = { label, startSec: w.startSec, endSec: until, windows: 1, sum: p };
  });
  close();
  return segments;
}
