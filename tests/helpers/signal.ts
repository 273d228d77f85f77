/** Measurements tests make on decoded or resampled signals. */

export function rms(x: Float32Array, from = 0, to = x.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += x[i] * x[i];
  return Math.sqrt(sum / Math.max(1, to - from));
}

/**
 * Frequency of a clean tone from its rising zero crossings (linearly interpolated), ignoring the
 * first and last 10% where codecs and filters ramp in and out.
 */
export function zeroCrossingFrequency(x: Float32Array, sampleRate: number): number {
  const from = Math.floor(x.length * 0.1);
  const to = Math.floor(x.length * 0.9);
  let first = -1;
  let last = -1;
  let count = 0;
  for (let i = from + 1; i < to; i++) {
    if (x[i - 1] < 0 && x[i] >= 0) {
      const t = i - 1 + x[i - 1] / (x[i - 1] - x[i]);
      if (first < 0) first = t;
      last = t;
      count++;
    }
  }
  if (count < 2) return 0;
  return ((count - 1) * sampleRate) / (last - first);
}

export function maxAbsDiff(a: Float32Array, b: Float32Array, from = 0, to = Math.min(a.length, b.length)): number {
  let max = 0;
  for (let i = from; i < to; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** Index of the first differing sample (a length mismatch counts), or -1; cheap where a deep-equal diff is not. */
export function firstDifference(a: Float32Array, b: Float32Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
