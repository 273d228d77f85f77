/**
 * The emotion timeline's stacked view (issue 15 item 7): each window's probabilities as layers from the bottom that
 * fill the height, whatever rounding the stored float32 values carry, and the window the pointer is over.
 */
import { describe, expect, it } from 'vitest';
import { stackBounds, windowAt } from '../../renderer/src/lib/timeline.ts';

describe('stackBounds', () => {
  it('stacks the classes in order from 0 to 1', () => {
    expect(stackBounds([0.5, 0.25, 0.25])).toEqual([0, 0.5, 0.75, 1]);
    expect(stackBounds([0, 1, 0])).toEqual([0, 0, 1, 1]);
  });
  it('scales probabilities that do not quite sum to 1 to fill the height exactly', () => {
    const bounds = stackBounds([0.2, 0.2, 0.2, 0.2]);
    expect(bounds.at(-1)).toBe(1);
    for (const [i, b] of [0, 0.25, 0.5, 0.75].entries()) expect(bounds[i]).toBeCloseTo(b, 12);
    expect(stackBounds(Float32Array.from([0.1, 0.2, 0.7]) as unknown as number[]).at(-1)).toBe(1);
  });
  it('stacks nothing for a window of zeros', () => {
    expect(stackBounds([0, 0])).toEqual([0, 0, 0]);
  });
});

describe('windowAt', () => {
  const win = (startSec: number, endSec: number) => ({ startSec, endSec, probabilities: [1], speech: null, topLabel: 'a', confidence: 1 });
  it('gives each time to the window that owns it: until the next one starts, the last until its end', () => {
    const windows = [win(0, 3), win(1.5, 4.5), win(6, 9)];
    expect(windowAt(windows, 1.4)).toBe(windows[0]);
    expect(windowAt(windows, 1.5)).toBe(windows[1]);
    expect(windowAt(windows, 5)).toBeNull();
    expect(windowAt(windows, 8.9)).toBe(windows[2]);
    expect(windowAt(windows, 9)).toBeNull();
    expect(windowAt(windows, -1)).toBeNull();
  });
});
