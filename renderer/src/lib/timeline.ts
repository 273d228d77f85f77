/** Which classification window the emotion timeline shows at a time, and its top class. */
import type { WindowPrediction } from '../../../electron/api/contract';

export function topIndex(probabilities: readonly number[]): number {
  let top = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[top]) top = i;
  return top;
}

/** When window `i` stops owning the time: windows may overlap, and each owns the time up to the next one's start. */
export function ownedUntil(windows: readonly WindowPrediction[], i: number): number {
  return i + 1 < windows.length ? Math.max(windows[i].startSec, windows[i + 1].startSec) : windows[i].endSec;
}

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
