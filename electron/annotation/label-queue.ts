/**
 * Active learning: which stretches a person should label next. The model's windows are ranked by
 * how unsure it is of them (the probabilities are calibrated where the model has a temperature, as
 * the classifier stores them), so each label teaches it the most; windows without speech, and those
 * already annotated, are not asked about. Pure functions: the API gathers the windows.
 */
import { lacksSpeech } from '../shared/outcomes.ts';
import { topIndex } from '../shared/segments.ts';

/** margin: 1 minus the gap between the two most probable classes; entropy: of the distribution, over its maximum ln K. Both 0..1, higher is less sure. */
export type UncertaintyMeasure = 'margin' | 'entropy';

export interface CandidateWindow {
  recordingId: number;
  startSec: number;
  endSec: number;
  probabilities: readonly number[];
  /** Share of the window that holds speech; null where never measured. */
  speech: number | null;
}

export interface QueueItem {
  recordingId: number;
  startSec: number;
  endSec: number;
  /** The model's top label: what Enter accepts. */
  suggestion: string;
  confidence: number;
  uncertainty: number;
}

export function uncertainty(probabilities: readonly number[], measure: UncertaintyMeasure): number {
  if (probabilities.length < 2) return 0;
  if (measure === 'entropy') {
    let h = 0;
    for (const p of probabilities) if (p > 0) h -= p * Math.log(p);
    return h / Math.log(probabilities.length);
  }
  let first = -Infinity;
  let second = -Infinity;
  for (const p of probabilities) {
    if (p > first) [first, second] = [p, first];
    else if (p > second) second = p;
  }
  return 1 - (first - second);
}

/** Seconds two stretches share. */
function overlap(a: { startSec: number; endSec: number }, b: { startSec: number; endSec: number }): number {
  return Math.max(0, Math.min(a.endSec, b.endSec) - Math.max(a.startSec, b.startSec));
}

/** A window counts as labelled, or as already queued, when another stretch covers half of it. */
function covered(w: CandidateWindow, spans: readonly { startSec: number; endSec: number }[]): boolean {
  const half = (w.endSec - w.startSec) / 2;
  return spans.some((s) => overlap(w, s) >= half);
}

/**
 * The `limit` most uncertain windows with speech that no annotation covers, most uncertain first
 * (ties: earlier recording, then earlier time). Overlapping windows (a hop shorter than the window)
 * would ask about the same speech twice: a window half covered by one already queued is skipped.
 */
export function rankForLabelling(
  windows: readonly CandidateWindow[],
  labels: readonly string[],
  annotated: ReadonlyMap<number, readonly { startSec: number; endSec: number }[]>,
  measure: UncertaintyMeasure,
  limit: number,
): QueueItem[] {
  const scored = windows
    .filter((w) => !lacksSpeech(w.speech) && !covered(w, annotated.get(w.recordingId) ?? []))
    .map((w) => ({ w, u: uncertainty(w.probabilities, measure) }))
    .sort((a, b) => b.u - a.u || a.w.recordingId - b.w.recordingId || a.w.startSec - b.w.startSec);
  const queued = new Map<number, QueueItem[]>();
  const out: QueueItem[] = [];
  for (const { w, u } of scored) {
    if (out.length >= limit) break;
    const same = queued.get(w.recordingId) ?? [];
    if (covered(w, same)) continue;
    const top = topIndex(w.probabilities);
    const item = { recordingId: w.recordingId, startSec: w.startSec, endSec: w.endSec, suggestion: labels[top], confidence: w.probabilities[top], uncertainty: u };
    same.push(item);
    queued.set(w.recordingId, same);
    out.push(item);
  }
  return out;
}
