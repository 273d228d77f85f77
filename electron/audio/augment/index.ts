/**
 * Training-data augmentation as the baseline does it: time stretch, pitch shift and Gaussian noise.
 * A copy's random choices are drawn first into an Augmentation (plain JSON), then applied; the
 * Augmentation alone determines the output, so the feature cache can key on it.
 */
import { createRandom, type Random } from '../../shared/random.ts';
import { addNoise } from './noise.ts';
import { pitchShift } from './pitch-shift.ts';
import { timeStretch } from './time-stretch.ts';

export { addNoise } from './noise.ts';
export { pitchShift } from './pitch-shift.ts';
export { phaseVocoder, timeStretch } from './time-stretch.ts';

/** A parameter drawn uniformly from [min, max] for a copy, which gets the effect with this probability. */
export interface EffectRange {
  min: number;
  max: number;
  /** Default 1: every copy. */
  probability?: number;
}

/** Which effects augmented copies get, and their ranges; an absent effect is never applied. */
export interface AugmentPolicy {
  stretchRate?: EffectRange;
  pitchSemitones?: EffectRange;
  noiseSnrDb?: EffectRange;
  /** A random crop: the copy's window at a uniform position along its clip (training-window.ts), on this share of copies. */
  crop?: { probability?: number };
}

/** The baseline's ranges (time stretch 0.8-1.25x, pitch shift +-4 semitones) with noise at 10-30 dB SNR, each on half the copies. */
export const DEFAULT_AUGMENT_POLICY: Readonly<AugmentPolicy> = Object.freeze({
  stretchRate: { min: 0.8, max: 1.25, probability: 0.5 },
  pitchSemitones: { min: -4, max: 4, probability: 0.5 },
  noiseSnrDb: { min: 10, max: 30, probability: 0.5 },
});

/** One augmented copy's concrete parameters, applied in this order: stretch, pitch shift, noise. */
export interface Augmentation {
  stretchRate?: number;
  pitchSemitones?: number;
  noise?: { snrDb: number; seed: number };
  /** Where the copy's window sits along its clip, in [0, 1] (trainingWindow's position). */
  cropPosition?: number;
}

function checkRange(name: string, range: EffectRange | undefined, positive = false): void {
  if (!range) return;
  const { min, max, probability = 1 } = range;
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max || (positive && min <= 0)) {
    throw new RangeError(`${name}: need finite ${positive ? '0 < ' : ''}min <= max, got ${min}..${max}`);
  }
  if (!(probability >= 0 && probability <= 1)) throw new RangeError(`${name}: probability must be in [0, 1], got ${probability}`);
}

/** Draws one copy's parameters. Every effect consumes the same draws whether applied or not, so each copy's choices are independent of the policy's other effects. */
export function drawAugmentation(policy: AugmentPolicy, random: Random): Augmentation {
  checkRange('stretchRate', policy.stretchRate, true);
  checkRange('pitchSemitones', policy.pitchSemitones);
  checkRange('noiseSnrDb', policy.noiseSnrDb);
  checkRange('crop', policy.crop && { min: 0, max: 1, ...policy.crop });
  const draw = (range: EffectRange | undefined): number | undefined => {
    const applies = random.next() < (range?.probability ?? 1);
    const value = random.uniform(range?.min ?? 0, range?.max ?? 0);
    return range && applies ? value : undefined;
  };
  const stretchRate = draw(policy.stretchRate);
  const pitchSemitones = draw(policy.pitchSemitones);
  const snrDb = draw(policy.noiseSnrDb);
  const seed = random.uint32();
  // Drawn after the others, so a policy without crops draws exactly what it did before crops existed.
  const cropPosition = draw(policy.crop && { min: 0, max: 1, probability: policy.crop.probability });
  return {
    ...(stretchRate === undefined ? {} : { stretchRate }),
    ...(pitchSemitones === undefined ? {} : { pitchSemitones }),
    ...(snrDb === undefined ? {} : { noise: { snrDb, seed } }),
    ...(cropPosition === undefined ? {} : { cropPosition }),
  };
}

/** Applies a copy's effects to a mono clip; the input is not modified. */
export async function applyAugmentation(samples: Float32Array, sampleRate: number, augmentation: Augmentation): Promise<Float32Array> {
  const { stretchRate, pitchSemitones, noise } = augmentation;
  let out = samples;
  if (stretchRate !== undefined) out = timeStretch(out, stretchRate);
  if (pitchSemitones !== undefined) out = await pitchShift(out, sampleRate, pitchSemitones);
  if (noise) out = addNoise(out, noise.snrDb, createRandom(noise.seed));
  return out === samples ? samples.slice() : out;
}
