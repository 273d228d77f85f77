/** A mistake in how the command was called: reported on stderr with exit code 2. */
export class UsageError extends Error {}

export function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number of seconds, got "${value}"`);
    return n;
  };
}

/** A commander argument parser for a whole number of at least min. */
export function wholeNumber(name: string, min = 0) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${name} must be a whole number of at least ${min}, got "${value}"`);
    return n;
  };
}

/** A commander argument parser for a probability, 0 to 1. */
export function probability(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`${name} must be a probability from 0 to 1, got "${value}"`);
    return n;
  };
}
