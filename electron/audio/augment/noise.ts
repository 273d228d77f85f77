import type { Random } from '../../shared/random.ts';

/**
 * Adds white Gaussian noise whose power is the signal's mean power divided by 10^(snrDb/10).
 * Digital silence has no power to set a level from and is returned unchanged (as a copy).
 */
export function addNoise(samples: Float32Array, snrDb: number, random: Random): Float32Array {
  if (!Number.isFinite(snrDb)) throw new RangeError(`SNR must be a finite number of dB, got ${snrDb}`);
  let power = 0;
  for (let i = 0; i < samples.length; i++) power += samples[i] * samples[i];
  power /= Math.max(1, samples.length);
  const sigma = Math.sqrt(power / 10 ** (snrDb / 10));
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = samples[i] + sigma * random.normal();
  return out;
}
