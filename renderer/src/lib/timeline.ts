/** Which classification window the emotion timeline shows at a time; what it calls a window and when its time ends (shared/segments.ts). */
import type { WindowPrediction } from '../../../electron/api/contract';
import { ownedUntil } from '../../../electron/shared/segments';

export { ownedUntil, shownLabel, topIndex } from '../../../electron/shared/segments';

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
