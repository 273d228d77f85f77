import { MAX_RESAMPLE_RATE, resample } from '../resample.ts';
import { timeStretch } from './time-stretch.ts';

/**
 * librosa.effects.pitch_shift: time-stretch by 2^(-semitones/12), then resample band-limited from
 * sampleRate / rate back to sampleRate, which restores the duration and moves every frequency by
 * 2^(semitones/12). The result has the input's length (cut or zero-padded, as librosa's fix_length).
 */
export async function pitchShift(samples: Float32Array, sampleRate: number, semitones: number): Promise<Float32Array> {
  if (!Number.isFinite(semitones)) throw new RangeError(`semitones must be a finite number, got ${semitones}`);
  const rate = 2 ** (-semitones / 12);
  const stretched = timeStretch(samples, rate);
  // The resampler takes integer rates and uses only their ratio: scaling both up keeps the rounded
  // ratio within 1e-4 of a semitone of the exact one.
  const scale = Math.max(1, Math.floor(MAX_RESAMPLE_RATE / Math.max(sampleRate, sampleRate / rate)));
  const shifted = await resample(stretched, Math.round((sampleRate / rate) * scale), sampleRate * scale);
  if (shifted.length === samples.length) return shifted;
  const out = new Float32Array(samples.length);
  out.set(shifted.subarray(0, samples.length));
  return out;
}
