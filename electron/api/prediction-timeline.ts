/** What the API serves of a recording's prediction timeline: its windows (store/timeline.ts) and their mean. */
import { windowsForMean } from '../shared/outcomes.ts';
import type { WindowPrediction } from './contract.ts';

export { mergeRuns } from '../store/index.ts';

/**
 * Mean of the probabilities of the windows with speech (of all of them when none has, as the
 * classifier's file result does); empty when there are no windows.
 */
export function meanOf(windows: readonly WindowPrediction[]): number[] {
  if (windows.length === 0) return [];
  const { counted } = windowsForMean(windows, (w) => w.speech);
  const mean = new Array<number>(counted[0].probabilities.length).fill(0);
  for (const w of counted) w.probabilities.forEach((p, k) => (mean[k] += p / counted.length));
  return mean;
}
