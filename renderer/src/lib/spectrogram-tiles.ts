/**
 * The grid of spectrogram tiles the renderer asks for (issue 14 item 5). Zoom level L has columns
 * 2^L model frames wide, the first level whose columns are at least a device pixel wide; its tiles are
 * TILE_COLUMNS columns on a grid from 0 s, so scrolling reuses the tiles of the same level and one
 * request never holds more columns than the screen shows of it.
 */

/** Columns per tile. */
export const TILE_COLUMNS = 256;
/** A model frame (hop 512 at 22,050 Hz): level 0's column. Tiles are exact for other hops too, only not frame-aligned. */
export const FRAME_SEC = 512 / 22050;

export interface TileRequest {
  level: number;
  index: number;
  startSec: number;
  endSec: number;
  columns: number;
}

/** The level whose columns are the narrowest not narrower than `secondsPerPixel`. */
export function tileLevel(secondsPerPixel: number): number {
  if (!(secondsPerPixel > FRAME_SEC)) return 0;
  return Math.ceil(Math.log2(secondsPerPixel / FRAME_SEC) - 1e-9);
}

export function columnSec(level: number): number {
  return FRAME_SEC * 2 ** level;
}

export function tileSpan(level: number): number {
  return TILE_COLUMNS * columnSec(level);
}

export function tileKey(level: number, index: number): string {
  return `${level}:${index}`;
}

/** The tiles of `level` that cover [start, end] of a recording `duration` s long, the last one cut at its end. */
export function tilesFor(start: number, end: number, duration: number, level: number): TileRequest[] {
  const span = tileSpan(level);
  const from = Math.max(0, start);
  const to = Math.min(end, duration);
  if (!(to > from)) return [];
  const tiles: TileRequest[] = [];
  for (let index = Math.floor(from / span); index * span < to; index++) {
    const startSec = index * span;
    const endSec = Math.min(duration, startSec + span);
    const columns = Math.min(TILE_COLUMNS, Math.max(16, Math.ceil((endSec - startSec) / columnSec(level) - 1e-9)));
    tiles.push({ level, index, startSec, endSec, columns });
  }
  return tiles;
}
