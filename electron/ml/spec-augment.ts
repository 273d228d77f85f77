/**
 * SpecAugment's frequency and time masking (Park et al. 2019), drawn afresh for every training
 * example each time a batch is made, so the network never sees the same masks twice and cannot
 * lean on one band or one moment of a speaker's voice. Inputs are per-window standardised log-mels
 * ([nMels][frames], model-input.ts): a masked cell becomes 0, the window's mean.
 */
import type { Random } from '../shared/random.ts';

export interface SpecAugmentPolicy {
  /** Masks of up to maxFreqWidth adjacent mel bands each. */
  freqMasks: number;
  maxFreqWidth: number;
  /** Masks of up to maxTimeWidth adjacent frames each. */
  timeMasks: number;
  maxTimeWidth: number;
}

/** Two masks of each kind, up to 1/8 of the bands and about 1/6 of the frames of a 128 x 130 window (LibriSpeech's "LD" policy scaled to 3 s). */
export const DEFAULT_SPEC_AUGMENT: Readonly<SpecAugmentPolicy> = Object.freeze({ freqMasks: 2, maxFreqWidth: 16, timeMasks: 2, maxTimeWidth: 20 });

/** A masked copy of one input of nMels rows by frames columns; the input is not modified. */
export function specAugment(input: Float32Array, nMels: number, frames: number, policy: SpecAugmentPolicy, random: Random): Float32Array {
  if (input.length !== nMels * frames) throw new RangeError(`an input of ${input.length} values is not ${nMels} x ${frames}`);
  const out = input.slice();
  for (let k = 0; k < policy.freqMasks; k++) {
    const [from, to] = maskSpan(nMels, policy.maxFreqWidth, random);
    out.fill(0, from * frames, to * frames);
  }
  for (let k = 0; k < policy.timeMasks; k++) {
    const [from, to] = maskSpan(frames, policy.maxTimeWidth, random);
    for (let m = 0; m < nMels; m++) out.fill(0, m * frames + from, m * frames + to);
  }
  return out;
}

/** A width uniform in [0, maxWidth] (at most the axis), at a uniform start: [from, to). */
function maskSpan(length: number, maxWidth: number, random: Random): [number, number] {
  const width = random.int(Math.min(maxWidth, length) + 1);
  const from = random.int(length - width + 1);
  return [from, from + width];
}
