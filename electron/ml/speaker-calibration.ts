/**
 * Calibrating a finished model on labelled clips it never trained on, and judging that calibration
 * on speakers it was not fitted on. A temperature fitted and scored on the same clips flatters
 * itself, so the clips' speakers are split in two halves: the temperature fitted on each half is
 * scored on the other, and the pooled error of both is the estimate for unseen speakers. The
 * model keeps the calibration fitted on every clip.
 */
import { applyTemperature, calibrate, calibrationSummary, fitTemperature, topOutcomes, type ConfidenceOutcome } from './calibration.ts';
import type { ModelCalibration } from './metadata.ts';

export interface CrossFittedError {
  /** 15-bin expected calibration error on held-out halves: raw outputs, then each half scaled by the other's temperature. */
  ece: { before: number; after: number };
  clips: number;
  /** The two halves' speakers, in sorted order of their ids. */
  halves: [string[], string[]];
}

/** Sorted speakers dealt alternately into two halves, so each half mixes the id range. */
export function speakerHalves(speakers: readonly string[]): [string[], string[]] {
  const unique = [...new Set(speakers)].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return [unique.filter((_, i) => i % 2 === 0), unique.filter((_, i) => i % 2 === 1)];
}

/**
 * The expected calibration error of temperature scaling on speakers it was not fitted on; null with
 * fewer than two speakers. probabilities and labels (class indices) are per clip, speakers too.
 */
export function crossFittedError(probabilities: readonly Float32Array[], labels: readonly number[], speakers: readonly string[]): CrossFittedError | null {
  const halves = speakerHalves(speakers);
  if (halves[1].length === 0) return null;
  const rowsOf = (half: string[]) => speakers.flatMap((s, i) => (half.includes(s) ? [i] : []));
  const [a, b] = halves.map(rowsOf);
  const scaled: ConfidenceOutcome[] = [];
  for (const [fitOn, scoreOn] of [
    [a, b],
    [b, a],
  ]) {
    const temperature = fitTemperature(
      fitOn.map((i) => probabilities[i]),
      fitOn.map((i) => labels[i]),
    );
    scaled.push(...topOutcomes(scoreOn.map((i) => applyTemperature(probabilities[i], temperature)), scoreOn.map((i) => labels[i])));
  }
  return {
    ece: { before: calibrationSummary(topOutcomes(probabilities, labels)).ece, after: calibrationSummary(scaled).ece },
    clips: probabilities.length,
    halves,
  };
}

/** The calibration a model records from these clips, with its cross-fitted error beside it. */
export function calibrateOnSpeakers(probabilities: readonly Float32Array[], labels: readonly number[], speakers: readonly string[], targetPrecision = 0.8): ModelCalibration {
  const calibration = calibrate(probabilities, labels, targetPrecision);
  const crossFitted = crossFittedError(probabilities, labels, speakers);
  return crossFitted ? { ...calibration, crossFitted: { ece: crossFitted.ece, clips: crossFitted.clips, speakers: crossFitted.halves.flat().length } } : calibration;
}

/** The clip's speaker; a clip of no known speaker stands for itself, so halves never split one speaker and merely split clips when none is known. */
export function speakerOrClip(item: { speaker?: string; path: string }): string {
  return item.speaker ?? `clip:${item.path}`;
}
