/**
 * The user's own held-out labels: every fifth annotation of a session (by id, so the choice never
 * depends on what a model got right) is kept out of fine-tuning and used to measure each model on
 * the user's own recordings, so "did fine-tuning help?" has an honest answer.
 */
import { meanOverSpeech } from '../shared/outcomes.ts';
import { topIndex } from '../shared/segments.ts';

export const HELD_OUT_EVERY = 5;

export function isHeldOut(annotationId: number): boolean {
  return annotationId % HELD_OUT_EVERY === 0;
}

export interface LabelledSpan {
  recordingId: number;
  startSec: number;
  endSec: number;
  label: string;
}

export interface ModelWindow {
  startSec: number;
  endSec: number;
  probabilities: readonly number[];
  speech: number | null;
}

/**
 * The label a model gives a labelled stretch: the top of the mean of its windows whose centre lies
 * in the stretch (the one overlapping it most when none does), over those with speech as a file's
 * mean is; null when no window touches it.
 */
export function predictedLabel(span: LabelledSpan, windows: readonly ModelWindow[], labels: readonly string[]): string | null {
  const centred = windows.filter((w) => {
    const centre = (w.startSec + w.endSec) / 2;
    return centre >= span.startSec && centre <= span.endSec;
  });
  let chosen = centred;
  if (chosen.length === 0) {
    let best: ModelWindow | null = null;
    let bestOverlap = 0;
    for (const w of windows) {
      const o = Math.min(w.endSec, span.endSec) - Math.max(w.startSec, span.startSec);
      if (o > bestOverlap) [best, bestOverlap] = [w, o];
    }
    chosen = best ? [best] : [];
  }
  if (chosen.length === 0) return null;
  return labels[topIndex(meanOverSpeech(chosen))];
}

export interface HeldOutScore {
  correct: number;
  /** Held-out labels the model could be scored on: it knows the label and has windows there. */
  n: number;
}

/** How many of the held-out spans a model labels as the person did. */
export function scoreHeldOut(spans: readonly LabelledSpan[], windowsOf: (recordingId: number) => readonly ModelWindow[], labels: readonly string[]): HeldOutScore {
  let correct = 0;
  let n = 0;
  for (const span of spans) {
    if (!labels.includes(span.label)) continue;
    const predicted = predictedLabel(span, windowsOf(span.recordingId), labels);
    if (predicted === null) continue;
    n++;
    if (predicted === span.label) correct++;
  }
  return { correct, n };
}
