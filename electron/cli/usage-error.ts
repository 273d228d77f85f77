/** A mistake in how the command was called: reported on stderr with exit code 2. */
export class UsageError extends Error {}

export function positiveNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number of seconds, got "${value}"`);
    return n;
  };
}
