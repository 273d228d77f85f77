/** Which classification window the emotion timeline shows at a time; what it calls a window and when its time ends (shared/segments.ts). */
import type { WindowPrediction } from '../../../electron/api/transport/contract.ts';
import { ownedUntil } from '../../../electron/shared/segments.ts';

export { ownedUntil, shownLabel, topIndex } from '../../../electron/shared/segments.ts';

/** The window owning `seconds` (windows in order of start), or null outside them all. */
export function windowAt(windows: readonly WindowPrediction[], seconds: number): WindowPrediction | null {
  let low = 0;
  let high = windows.length - 1;
  // The last window starting at or before `seconds`, by bisection: a long recording has thousands.
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (windows[middle].startSec <= seconds) low = middle + 1;
    else high = middle - 1;
  }
  return high >= 0 && seconds < ownedUntil(windows, high) ? windows[high] : null;
}

/**
 * Where each class's layer of a stacked timeline starts and ends, from the bottom: [0, p0, p0 + p1, ..., 1], the
 * probabilities scaled to sum to 1 so float32 rounding never leaves a sliver above the top. All zeros stack nothing.
 */
export function stackBounds(probabilities: readonly number[]): number[] {
  const total = probabilities.reduce((sum, p) => sum + p, 0);
  const bounds = [0];
  for (const p of probabilities) bounds.push(bounds[bounds.length - 1] + (total > 0 ? p / total : 0));
  if (total > 0) bounds[bounds.length - 1] = 1;
  return bounds;
}
