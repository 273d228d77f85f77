import { windowSamples, type FeatureSettings } from './settings.ts';
import { speechBounds } from './speech-bounds.ts';

/**
 * How a clip becomes one training example of exactly one window:
 * - 'first': its first windowSeconds, as the baseline (librosa.load(duration=3)).
 * - 'centre-on-energy': the window with the most energy (sum of squares), which skips leading
 *   silence such as RAVDESS's half second before the speech starts.
 * - 'centre-on-speech': the window centred on the speech (speech-bounds.ts), leading and trailing
 *   silence trimmed first, so every corpus's padding is cut away alike.
 * Clips shorter than a window are zero-padded at the end either way.
 */
export type TrainingWindowStrategy = 'first' | 'centre-on-energy' | 'centre-on-speech';

export const TRAINING_WINDOW_STRATEGIES: readonly TrainingWindowStrategy[] = ['first', 'centre-on-energy', 'centre-on-speech'];

/**
 * The baseline's choice. It is a hyper-parameter: change it only on evidence from validation
 * folds, never from test folds.
 */
export const DEFAULT_TRAINING_WINDOW: TrainingWindowStrategy = 'first';

/**
 * One window of the clip, as a new array of windowSamples(settings) samples. A position in [0, 1]
 * (a random crop) replaces the strategy's own placement: the window sits that far along the slack
 * between it and the region it is cut from (the speech for 'centre-on-speech', else the whole
 * clip); where the speech is shorter than a window, the speech sits that far along the window.
 */
export function trainingWindow(samples: Float32Array, settings: FeatureSettings, strategy: TrainingWindowStrategy, position?: number): Float32Array {
  if (position !== undefined && !(position >= 0 && position <= 1)) throw new RangeError(`a window position is in [0, 1], got ${position}`);
  const size = windowSamples(settings);
  const out = new Float32Array(size);
  const start = windowStart(samples, settings, strategy, size, position);
  out.set(samples.subarray(start, start + size));
  return out;
}

function windowStart(samples: Float32Array, settings: FeatureSettings, strategy: TrainingWindowStrategy, size: number, position: number | undefined): number {
  if (strategy === 'centre-on-speech') return placeWindow(speechBounds(samples, settings.sampleRate), samples.length, size, position ?? 0.5);
  if (position !== undefined) return placeWindow({ start: 0, end: samples.length }, samples.length, size, position);
  return strategy === 'first' ? 0 : loudestWindowStart(samples, size);
}

/** The window's start for a region [start, end) of the clip, kept inside the clip. */
function placeWindow(region: { start: number; end: number }, clipLength: number, size: number, position: number): number {
  const start = region.start + Math.round(position * (region.end - region.start - size));
  return Math.max(0, Math.min(start, clipLength - size));
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
