import { Stft, type ComplexSpectrogram } from '../stft.ts';

/** librosa.effects.time_stretch's defaults. */
const N_FFT = 2048;
const HOP = 512;

/**
 * librosa.phase_vocoder: resamples the spectrogram's frames at steps of `rate`, interpolating
 * magnitudes linearly between neighbouring frames and advancing each bin's phase by its measured
 * instantaneous frequency, so partials keep their pitch while time runs faster (rate > 1) or
 * slower (rate < 1).
 */
export function phaseVocoder(spec: ComplexSpectrogram, rate: number, hop: number): ComplexSpectrogram {
  const { frames, bins } = spec;
  const nFft = 2 * (bins - 1);
  const outFrames = Math.ceil(frames / rate);
  const re = new Float64Array(outFrames * bins);
  const im = new Float64Array(outFrames * bins);
  // The phase a bin's centre frequency advances over one hop.
  const advance = Float64Array.from({ length: bins }, (_, k) => (2 * Math.PI * hop * k) / nFft);
  // Magnitude and angle of every input frame, plus two silent frames past the end (as librosa pads).
  const mag = new Float64Array((frames + 2) * bins);
  const angle = new Float64Array((frames + 2) * bins);
  for (let i = 0; i < frames * bins; i++) {
    mag[i] = Math.hypot(spec.re[i], spec.im[i]);
    angle[i] = Math.atan2(spec.im[i], spec.re[i]);
  }
  const phase = angle.slice(0, bins);
  for (let t = 0; t < outFrames; t++) {
    const step = t * rate;
    const left = Math.floor(step);
    const alpha = step - left;
    const a = left * bins;
    const b = a + bins;
    const o = t * bins;
    for (let k = 0; k < bins; k++) {
      const m = (1 - alpha) * mag[a + k] + alpha * mag[b + k];
      re[o + k] = m * Math.cos(phase[k]);
      im[o + k] = m * Math.sin(phase[k]);
      let delta = angle[b + k] - angle[a + k] - advance[k];
      delta -= 2 * Math.PI * Math.round(delta / (2 * Math.PI));
      phase[k] += advance[k] + delta;
    }
  }
  return { frames: outFrames, bins, re, im };
}

/**
 * librosa.effects.time_stretch: rate 1.25 plays 1.25x as fast (0.8x the length), rate 0.8 slower
 * (1.25x the length); pitch is unchanged. The result has round(n / rate) samples.
 */
export function timeStretch(samples: Float32Array, rate: number): Float32Array {
  if (!(rate > 0) || !Number.isFinite(rate)) throw new RangeError(`stretch rate must be a positive number, got ${rate}`);
  const stft = new Stft(N_FFT, HOP);
  const stretched = phaseVocoder(stft.forward(samples), rate, HOP);
  return stft.inverse(stretched, Math.round(samples.length / rate));
}
