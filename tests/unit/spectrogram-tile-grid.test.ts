// The renderer's grid of spectrogram tiles: which level and which tiles a view at a screen width asks for.
import { describe, expect, it } from 'vitest';
import { columnSec, FRAME_SEC, TILE_COLUMNS, tileLevel, tilesFor, tileSpan } from '../../renderer/src/lib/spectrogram-tiles.ts';

describe('spectrogram tile grid', () => {
  it('picks the narrowest level whose columns are at least a device pixel wide', () => {
    expect(tileLevel(FRAME_SEC / 10)).toBe(0);
    expect(tileLevel(FRAME_SEC)).toBe(0);
    expect(tileLevel(FRAME_SEC * 1.01)).toBe(1);
    expect(tileLevel(FRAME_SEC * 4)).toBe(2);
    // Two hours on 1,700 device pixels: 4.2 s a pixel, columns of 256 frames (5.9 s).
    const level = tileLevel(7200 / 1700);
    expect(level).toBe(8);
    expect(columnSec(level)).toBeGreaterThanOrEqual(7200 / 1700);
    expect(columnSec(level - 1)).toBeLessThan(7200 / 1700);
  });

  it('covers the view with tiles on a grid from 0 s, the last one cut at the end, never more columns than the screen holds of a tile', () => {
    const level = 3;
    const span = tileSpan(level);
    expect(span).toBeCloseTo(TILE_COLUMNS * 8 * FRAME_SEC, 12);
    const tiles = tilesFor(1.5 * span, 3.2 * span, 3.5 * span, level);
    expect(tiles.map((t) => t.index)).toEqual([1, 2, 3]);
    expect(tiles[0]).toEqual({ level, index: 1, startSec: span, endSec: 2 * span, columns: TILE_COLUMNS });
    expect(tiles[2]).toMatchObject({ startSec: 3 * span, endSec: 3.5 * span, columns: TILE_COLUMNS / 2 });
    // Scrolling by less than a tile asks for the same tiles.
    expect(tilesFor(1.6 * span, 3.3 * span, 3.5 * span, level)).toEqual(tiles);
    expect(tilesFor(-5, 0, 10, 0)).toEqual([]);
  });
});
