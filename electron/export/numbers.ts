/**
 * Rounds to 6 decimals: far below any meaningful difference in a probability or a time in
 * seconds, and it keeps JavaScript from writing small values in exponent form (1e-7), which not
 * every spreadsheet reads as a number.
 */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6 || 0;
}
