/**
 * Where the speech of a clip lies: the first to the last short frame whose energy is within
 * a threshold of the clip's loudest frame. Acted corpora pad every clip with silence of their
 * own length and noise floor (RAVDESS about half a second before the speech, nEMO much less), so a
 * model trained on the clip as recorded learns each studio's padding; trimming it away before a
 * window is cut keeps the model on the voice.
 */
export interface SpeechBoundsOptions {
  /** Frames more than this far below the loudest frame count as silence (default 40 dB, as librosa.effects.trim's top_db 60 is too lenient for room noise). */
  thresholdDb?: number;
  /** Frame length in seconds (default 25 ms). */
  frameSeconds?: number;
}

export interface SpeechBounds {
  /** First sample of the first speech frame. */
  start: number;
  /** One past the last sample of the last speech frame; start when the clip holds no signal. */
  end: number;
}

export function speechBounds(samples: Float32Array, sampleRate: number, options: SpeechBoundsOptions = {}): SpeechBounds {
  const frame = Math.max(1, Math.round((options.frameSeconds ?? 0.025) * sampleRate));
  const threshold = 10 ** (-(options.thresholdDb ?? 40) / 10);
  const frames = Math.ceil(samples.length / frame);
  const energy = new Float64Array(frames);
  let loudest = 0;
  for (let f = 0; f < frames; f++) {
    let sum = 0;
    const end = Math.min(samples.length, (f + 1) * frame);
    for (let i = f * frame; i < end; i++) sum += samples[i] * samples[i];
    energy[f] = sum / (end - f * frame);
    if (energy[f] > loudest) loudest = energy[f];
  }
  if (loudest === 0) return { start: 0, end: 0 };
  const floor = loudest * threshold;
  let first = 0;
  while (energy[first] < floor) first++;
  let last = frames - 1;
  while (energy[last] < floor) last--;
  return { start: first * frame, end: Math.min(samples.length, (last + 1) * frame) };
}
