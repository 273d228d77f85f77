import type { LogMel } from './mel.ts';
import type { FeatureSettings } from './settings.ts';

/** Guards standardisation of a constant window (digital silence): its values stay finite. */
const MIN_STD = 1e-6;

/**
 * Turns a frame-major log-mel into the network's input layout [nMels][frames] (an image whose rows
 * are mel bands, lowest first), scaled as the model's metadata says. Training and inference both
 * come through here, so they cannot drift apart.
 */
export function toModelInput(mel: LogMel, normalisation: FeatureSettings['normalisation']): Float32Array {
  const { frames, nMels, db } = mel;
  let mean = 0;
  let scale = 1;
  if (normalisation === 'per-clip-standardise') {
    let sum = 0;
    for (let i = 0; i < db.length; i++) sum += db[i];
    mean = sum / db.length;
    let sq = 0;
    for (let i = 0; i < db.length; i++) sq += (db[i] - mean) ** 2;
    const std = Math.sqrt(sq / db.length);
    scale = 1 / Math.max(std, MIN_STD);
  }
  const out = new Float32Array(frames * nMels);
  for (let t = 0; t < frames; t++) {
    for (let m = 0; m < nMels; m++) out[m * frames + t] = (db[t * nMels + m] - mean) * scale;
  }
  return out;
}
