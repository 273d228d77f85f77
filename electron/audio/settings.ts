/**
 * Feature settings of the published baseline. Everything that computes features (CLI, training,
 * inference, the renderer's spectrogram) reads them from here or from a model's metadata.json,
 * which records the exact settings the model was trained with.
 */
export interface FeatureSettings {
  sampleRate: number;
  nFft: number;
  hop: number;
  nMels: number;
  fMin: number;
  fMax: number;
  /** power_to_db's dynamic range below the clip's maximum. */
  topDb: number;
  /** Length of one model input window in seconds (3 s gives 130 frames at hop 512). */
  windowSeconds: number;
  /** How a window's dB values are scaled before they reach the network. */
  normalisation: 'none' | 'per-clip-standardise';
}

export const DEFAULT_FEATURES: Readonly<FeatureSettings> = Object.freeze({
  sampleRate: 22050,
  nFft: 2048,
  hop: 512,
  nMels: 128,
  fMin: 0,
  fMax: 11025,
  topDb: 80,
  windowSeconds: 3,
  normalisation: 'per-clip-standardise',
});

/** Samples in one model window. */
export function windowSamples(s: FeatureSettings): number {
  return Math.round(s.windowSeconds * s.sampleRate);
}

/** Frames librosa produces for n samples with center=True. */
export function framesFor(nSamples: number, s: Pick<FeatureSettings, 'hop'>): number {
  return 1 + Math.floor(nSamples / s.hop);
}
