/** Measurements tests make on decoded or resampled signals. */
import { RealFft } from '../../electron/audio/fft.ts';

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

/**
 * Frequency in Hz of the strongest bin of a Hann-windowed FFT of nFft samples taken from the middle
 * of x (away from edge effects); the resolution is one bin, sampleRate / nFft.
 */
export function peakFrequency(x: Float32Array, sampleRate: number, nFft: number): number {
  const fft = new RealFft(nFft);
  const from = Math.max(0, Math.floor((x.length - nFft) / 2));
  const frame = new Float64Array(nFft);
  for (let i = 0; i < nFft && from + i < x.length; i++) frame[i] = x[from + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nFft));
  const power = new Float64Array(fft.bins);
  fft.power(frame, power);
  let best = 0;
  for (let k = 1; k < power.length; k++) if (power[k] > power[best]) best = k;
  return (best * sampleRate) / nFft;
}
