import { RealFft } from './fft.ts';
import { framesFor, type FeatureSettings } from './settings.ts';

/** power_to_db's floor, as librosa's amin. */
const AMIN = 1e-10;

/** A log-mel spectrogram in dB, frame-major: value of mel band m in frame t is db[t * nMels + m]. */
export interface LogMel {
  frames: number;
  nMels: number;
  db: Float64Array;
}

/** One mel band as a run of consecutive FFT bins and their weights (Slaney filters are sparse). */
interface MelBand {
  firstBin: number;
  weights: Float64Array;
}

function hzToMelSlaney(hz: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  return hz >= minLogHz ? minLogMel + Math.log(hz / minLogHz) / logStep : hz / fSp;
}

function melToHzSlaney(mel: number): number {
  const fSp = 200 / 3;
  const minLogHz = 1000;
  const minLogMel = minLogHz / fSp;
  const logStep = Math.log(6.4) / 27;
  return mel >= minLogMel ? minLogHz * Math.exp(logStep * (mel - minLogMel)) : fSp * mel;
}

/** librosa.filters.mel(htk=False, norm='slaney'), kept sparse. */
function slaneyFilterbank(s: FeatureSettings): MelBand[] {
  const bins = s.nFft / 2 + 1;
  const binHz = (i: number) => (i * (s.sampleRate / 2)) / (bins - 1);
  const melMin = hzToMelSlaney(s.fMin);
  const melMax = hzToMelSlaney(s.fMax);
  const edges = Array.from({ length: s.nMels + 2 }, (_, i) =>
    melToHzSlaney(melMin + ((melMax - melMin) * i) / (s.nMels + 1)),
  );
  const bands: MelBand[] = [];
  for (let m = 0; m < s.nMels; m++) {
    const [lo, centre, hi] = [edges[m], edges[m + 1], edges[m + 2]];
    const enorm = 2 / (hi - lo);
    const dense = new Float64Array(bins);
    let first = -1;
    let last = -1;
    for (let k = 0; k < bins; k++) {
      const f = binHz(k);
      const w = Math.max(0, Math.min((f - lo) / (centre - lo), (hi - f) / (hi - centre)));
      if (w > 0) {
        if (first < 0) first = k;
        last = k;
        dense[k] = w * enorm;
      }
    }
    bands.push(first < 0 ? { firstBin: 0, weights: new Float64Array(0) } : { firstBin: first, weights: dense.slice(first, last + 1) });
  }
  return bands;
}

/**
 * Periodic Hann window with float32 coefficients, computed step by step as torch.hann_window does.
 * The parity reference (torchaudio) uses these coefficients; a float64 window moves values near the
 * -80 dB floor by up to 1.6e-3 dB, above the 1e-3 dB parity bound, and changes nothing else.
 */
function periodicHann(n: number): Float64Array {
  const f32 = Math.fround;
  const step = f32((2 * Math.PI) / n);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = f32(f32(-0.5 * f32(Math.cos(f32(i * step)))) + 0.5);
  return w;
}

/**
 * Computes librosa's melspectrogram(power=2, center=True, pad_mode='constant') followed by
 * power_to_db(ref=np.max, amin=1e-10, top_db). Reusable across clips: tables are built once.
 */
export class LogMelExtractor {
  readonly settings: FeatureSettings;
  private readonly fft: RealFft;
  private readonly window: Float64Array;
  private readonly bands: MelBand[];
  private readonly frame: Float64Array;
  private readonly spectrum: Float64Array;

  constructor(settings: FeatureSettings) {
    this.settings = settings;
    this.fft = new RealFft(settings.nFft);
    this.window = periodicHann(settings.nFft);
    this.bands = slaneyFilterbank(settings);
    this.frame = new Float64Array(settings.nFft);
    this.spectrum = new Float64Array(this.fft.bins);
  }

  /** Mel power spectrogram (before dB), frame-major. */
  melPower(samples: ArrayLike<number>): { frames: number; power: Float64Array } {
    const frames = framesFor(samples.length, this.settings);
    const power = new Float64Array(frames * this.settings.nMels);
    for (let t = 0; t < frames; t++) this.melPowerFrame(samples, t, power, t * this.settings.nMels);
    return { frames, power };
  }

  /**
   * Mel power of frame t alone (centred at sample t * hop, zeros beyond the signal's ends), written to
   * out from offset: lets a caller compute any frames of a long signal without the ones between.
   */
  melPowerFrame(samples: ArrayLike<number>, t: number, out: Float64Array, offset: number): void {
    const { nFft, hop, nMels } = this.settings;
    const n = samples.length;
    const { frame, window, spectrum, bands } = this;
    const origin = t * hop - nFft / 2;
    for (let i = 0; i < nFft; i++) {
      const j = origin + i;
      frame[i] = j >= 0 && j < n ? samples[j] * window[i] : 0;
    }
    this.fft.power(frame, spectrum);
    for (let m = 0; m < nMels; m++) {
      const { firstBin, weights } = bands[m];
      let acc = 0;
      for (let k = 0; k < weights.length; k++) acc += weights[k] * spectrum[firstBin + k];
      out[offset + m] = acc;
    }
  }

  /** Log-mel in dB relative to the clip's maximum, floored top_db below it. */
  compute(samples: ArrayLike<number>): LogMel {
    const { frames, power } = this.melPower(samples);
    let max = AMIN;
    for (let i = 0; i < power.length; i++) if (power[i] > max) max = power[i];
    const ref = 10 * Math.log10(max);
    const floor = -this.settings.topDb;
    const db = power; // converted in place: the power values are not needed afterwards
    for (let i = 0; i < db.length; i++) {
      const v = 10 * Math.log10(Math.max(AMIN, db[i])) - ref;
      db[i] = v < floor ? floor : v;
    }
    return { frames, nMels: this.settings.nMels, db };
  }
}
