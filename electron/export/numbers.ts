/**
 * Rounds to 6 decimals: far below any meaningful difference in a probability or a time in
 * seconds, and it keeps JavaScript from writing small values in exponent form (1e-7), which not
 * every spreadsheet reads as a number.
 */
export function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6 || 0;
}

/** round6, passing null through (an empty cell). */
export const roundOrNull = (value: number | null): number | null => (value === null ? null : round6(value));

/** Largest count of millionths handled as an integer: the int32 range, where V8 writes integers fastest. */
const MAX_MICROS = 2 ** 31 - 1;
/** The zeros between the point and a fraction's first digit (a table: padStart is slow here). */
const LEADING_ZEROS = ['', '0', '00', '000', '0000', '00000'];

/**
 * The same text as String(value), about 1.6 times as fast for values with at most 6 decimals below
 * 2147 in magnitude, as round6 makes them: such a value is the double nearest to a whole number of
 * millionths, whose shortest round-trip form is that number's decimal text, written here from
 * integers. Other values go through String. Most cells of a large report are such numbers.
 */
export function numberText(value: number): string {
  const micros = Math.round(value * 1e6);
  if (micros / 1e6 !== value || micros > MAX_MICROS || micros < -MAX_MICROS) return String(value);
  const sign = micros < 0 ? '-' : '';
  const abs = micros < 0 ? -micros : micros;
  const whole = Math.floor(abs / 1e6);
  let fraction = abs - whole * 1e6;
  if (fraction === 0) return `${sign}${whole}`;
  let places = 6;
  while (fraction % 10 === 0) {
    fraction /= 10;
    places--;
  }
  const digits = String(fraction);
  return `${sign}${whole}.${LEADING_ZEROS[places - digits.length]}${digits}`;
}
