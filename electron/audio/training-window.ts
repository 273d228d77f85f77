import { windowSamples, type FeatureSettings } from './settings.ts';

/**
 * How a clip becomes one training example of exactly one window:
 * - 'first': its first windowSeconds, as the baseline (librosa.load(duration=3)).
 * - 'centre-on-energy': the window with the most energy (sum of squares), which skips leading
 *   silence such as RAVDESS's half second before the speech starts.
 * Clips shorter than a window are zero-padded at the end either way.
 */
export type TrainingWindowStrategy = 'first' | 'centre-on-energy';

export const TRAINING_WINDOW_STRATEGIES: readonly TrainingWindowStrategy[] = ['first', 'centre-on-energy'];

/**
 * The baseline's choice. It is a hyper-parameter: change it only on evidence from validation
 * folds, never from test folds.
 */
export const DEFAULT_TRAINING_WINDOW: TrainingWindowStrategy = 'first';

/** One window of the clip, as a new array of windowSamples(settings) samples. */
export function trainingWindow(samples: Float32Array, settings: FeatureSettings, strategy: TrainingWindowStrategy): Float32Array {
  const size = windowSamples(settings);
  const start = strategy === 'first' ? 0 : loudestWindowStart(samples, size);
  const out = new Float32Array(size);
  out.set(samples.subarray(start, start + size));
  return out;
}

/** Start of the size-sample window with the largest sum of squares (the earliest of equals). */
function loudestWindowStart(samples: Float32Array, size: number): number {
  if (samples.length <= size) return 0;
  let energy = 0;
  for (let i = 0; i < size; i++) energy += samples[i] * samples[i];
  let best = energy;
  let bestStart = 0;
  for (let start = 1; start + size <= samples.length; start++) {
    const leaving = samples[start - 1];
    const entering = samples[start + size - 1];
    energy += entering * entering - leaving * leaving;
    if (energy > best) {
      best = energy;
      bestStart = start;
    }
  }
  return bestStart;
}
