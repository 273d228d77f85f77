import { RealFft } from './fft.ts';

/** A complex spectrogram, frame-major: bin k of frame t is (re, im)[t * bins + k]. */
export interface ComplexSpectrogram {
  frames: number;
  bins: number;
  re: Float64Array;
  im: Float64Array;
}

/** Periodic Hann window in float64, as scipy.signal.get_window('hann', n) (librosa's default). */
function hann(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
}

/**
 * librosa.stft / librosa.istft with a Hann window, center=True and pad_mode='constant', in
 * float64. Reusable across signals: the FFT tables and window are built once.
 */
export class Stft {
  readonly nFft: number;
  readonly hop: number;
  readonly bins: number;
  private readonly fft: RealFft;
  private readonly window: Float64Array;
  private readonly frame: Float64Array;

  constructor(nFft: number, hop: number) {
    if (!Number.isInteger(hop) || hop < 1 || hop > nFft) throw new RangeError(`hop must be an integer from 1 to ${nFft}, got ${hop}`);
    this.fft = new RealFft(nFft);
    this.nFft = nFft;
    this.hop = hop;
    this.bins = this.fft.bins;
    this.window = hann(nFft);
    this.frame = new Float64Array(nFft);
  }

  /** 1 + floor(n / hop) frames, the signal zero-padded by nFft/2 on both sides. */
  forward(samples: ArrayLike<number>): ComplexSpectrogram {
    const { nFft, hop, bins, frame, window } = this;
    const pad = nFft / 2;
    const n = samples.length;
    const frames = 1 + Math.floor(n / hop);
    const re = new Float64Array(frames * bins);
    const im = new Float64Array(frames * bins);
    for (let t = 0; t < frames; t++) {
      const origin = t * hop - pad;
      for (let i = 0; i < nFft; i++) {
        const j = origin + i;
        frame[i] = j >= 0 && j < n ? samples[j] * window[i] : 0;
      }
      this.fft.forward(frame, re.subarray(t * bins, (t + 1) * bins), im.subarray(t * bins, (t + 1) * bins));
    }
    return { frames, bins, re, im };
  }

  /**
   * Inverse by windowed overlap-add divided by the summed squared window (librosa.istft), trimmed
   * or zero-padded to exactly `length` samples.
   */
  inverse(spec: ComplexSpectrogram, length: number): Float32Array {
    const { nFft, hop, bins, frame, window } = this;
    if (spec.bins !== bins) throw new RangeError(`spectrogram has ${spec.bins} bins, this STFT ${bins}`);
    const pad = nFft / 2;
    // As librosa: only the frames that reach into the requested length are synthesised.
    const frames = Math.min(spec.frames, Math.ceil((length + 2 * pad) / hop));
    const total = nFft + hop * Math.max(0, frames - 1);
    const sum = new Float64Array(total);
    const envelope = new Float64Array(total);
    for (let t = 0; t < frames; t++) {
      this.fft.inverse(spec.re.subarray(t * bins, (t + 1) * bins), spec.im.subarray(t * bins, (t + 1) * bins), frame);
      const origin = t * hop;
      for (let i = 0; i < nFft; i++) {
        sum[origin + i] += frame[i] * window[i];
        envelope[origin + i] += window[i] * window[i];
      }
    }
    const out = new Float32Array(length);
    const end = Math.min(length, total - pad);
    for (let i = 0; i < end; i++) {
      const e = envelope[i + pad];
      // librosa leaves samples where the envelope is ~0 (float32 tiny) undivided.
      out[i] = e > 1.1754943508222875e-38 ? sum[i + pad] / e : sum[i + pad];
    }
    return out;
  }
}
