/**
 * Voice activity: which 10 ms frames of a mono signal hold speech. Three cues must agree, each
 * ruling out one thing that is loud but not speech:
 * - energy well above the recording's own floor (and above an absolute floor): rules out silence
 *   and room tone;
 * - a peaky, harmonic spectrum in the speech band (low spectral flatness): rules out broadband
 *   noise (hiss, fans, rain), whose flatness stays near 0.56;
 * - energy that moves with syllables (the spread of the level over the surrounding 300 ms):
 *   rules out steady tones and hums, which are harmonic and loud but do not change.
 * Unvoiced sounds (fricatives) fail the flatness cue, but they sit between voiced ones: gaps
 * shorter than a syllable are filled, and blips shorter than one are dropped.
 */
import { Stft } from './stft.ts';

export interface VadOptions {
  /** dB above the recording's floor (its 10th-percentile frame level). Default 10. */
  aboveFloorDb?: number;
  /** Frames quieter than this (dBFS) are never speech. Default -55. */
  minLevelDb?: number;
  /** Largest spectral flatness of a voiced frame. Default 0.3. */
  maxFlatness?: number;
  /** Smallest spread (standard deviation, dB) of the level over the surrounding 300 ms. Default 2. */
  minModulationDb?: number;
}

export interface VoiceActivity {
  /** Seconds per frame (and between frame starts). */
  frameSeconds: number;
  /** One flag per frame: speech or not. */
  speech: Uint8Array;
}

const FRAME_SECONDS = 0.01;
const BAND_HZ: [number, number] = [100, 4000];
const MODULATION_SECONDS = 0.15;
const MAX_GAP_SECONDS = 0.2;
const MIN_RUN_SECONDS = 0.25;

export function detectVoiceActivity(samples: Float32Array, sampleRate: number, options: VadOptions = {}): VoiceActivity {
  const hop = Math.max(1, Math.round(FRAME_SECONDS * sampleRate));
  const nFft = 2 ** Math.ceil(Math.log2(2.5 * hop));
  const frames = Math.floor(samples.length / hop);
  const speech = new Uint8Array(frames);
  if (frames === 0) return { frameSeconds: hop / sampleRate, speech };
  const { level, flatness } = frameFeatures(samples, sampleRate, hop, nFft, frames);
  const floor = percentile(level, 0.1);
  const minLevel = Math.max(options.minLevelDb ?? -55, floor + (options.aboveFloorDb ?? 10));
  const maxFlatness = options.maxFlatness ?? 0.3;
  const loud = Uint8Array.from(level, (l) => (l > minLevel ? 1 : 0));
  const modulation = movingStd(level, loud, Math.round(MODULATION_SECONDS / FRAME_SECONDS));
  const minModulation = options.minModulationDb ?? 2;
  for (let t = 0; t < frames; t++) speech[t] = loud[t] && flatness[t] < maxFlatness && modulation[t] > minModulation ? 1 : 0;
  smooth(speech, Math.round(MAX_GAP_SECONDS / FRAME_SECONDS), Math.round(MIN_RUN_SECONDS / FRAME_SECONDS));
  return { frameSeconds: hop / sampleRate, speech };
}

/** Share of a window's frames that hold speech (0 for a window shorter than a frame). */
export function windowSpeechShare(samples: Float32Array, sampleRate: number): number {
  const activity = detectVoiceActivity(samples, sampleRate);
  return speechShare(activity, 0, activity.speech.length * activity.frameSeconds);
}

/** Share of the frames from startSec to endSec that hold speech (0 for an empty stretch). */
export function speechShare(activity: VoiceActivity, startSec: number, endSec: number): number {
  const from = Math.max(0, Math.floor(startSec / activity.frameSeconds));
  const to = Math.min(activity.speech.length, Math.ceil(endSec / activity.frameSeconds));
  let n = 0;
  for (let t = from; t < to; t++) n += activity.speech[t];
  return to > from ? n / (to - from) : 0;
}

/** One STFT per frame layout: the classifier calls the detector for every window, and its FFT tables and window need building only once. */
const stfts = new Map<string, Stft>();

function stftFor(nFft: number, hop: number): Stft {
  const key = `${nFft}/${hop}`;
  let stft = stfts.get(key);
  if (!stft) {
    stft = new Stft(nFft, hop);
    stfts.set(key, stft);
  }
  return stft;
}

/** Level (dBFS of the speech band) and spectral flatness of each frame. */
function frameFeatures(samples: Float32Array, sampleRate: number, hop: number, nFft: number, frames: number): { level: Float64Array; flatness: Float64Array } {
  const stft = stftFor(nFft, hop);
  const lo = Math.max(1, Math.round((BAND_HZ[0] * nFft) / sampleRate));
  const hi = Math.min(stft.bins - 1, Math.round((BAND_HZ[1] * nFft) / sampleRate));
  // The STFT centres frames; frame t covers samples around t * hop, the flags' frame t starts there.
  const { re, im, bins } = stft.forward(samples);
  const level = new Float64Array(frames);
  const flatness = new Float64Array(frames);
  // A Hann window's power gain: level of a full-scale sine reads about 0 dB.
  const norm = (nFft * nFft) / 8;
  for (let t = 0; t < frames; t++) {
    let sum = 0;
    let logSum = 0;
    for (let k = lo; k <= hi; k++) {
      const p = re[t * bins + k] ** 2 + im[t * bins + k] ** 2 + 1e-20;
      sum += p;
      logSum += Math.log(p);
    }
    const n = hi - lo + 1;
    level[t] = 10 * Math.log10(sum / norm + 1e-12);
    flatness[t] = Math.exp(logSum / n) / (sum / n);
  }
  return { level, flatness };
}

function percentile(values: Float64Array, q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/**
 * Standard deviation of the counted values over [t - half, t + half] (0 where fewer than 3 count).
 * Only loud frames count, so the step from silence into a steady tone is not taken for a syllable.
 */
function movingStd(values: Float64Array, counted: Uint8Array, half: number): Float64Array {
  const n = values.length;
  const count = new Float64Array(n + 1);
  const sum = new Float64Array(n + 1);
  const sq = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const c = counted[i];
    count[i + 1] = count[i] + c;
    sum[i + 1] = sum[i] + c * values[i];
    sq[i + 1] = sq[i] + c * values[i] * values[i];
  }
  const out = new Float64Array(n);
  for (let t = 0; t < n; t++) {
    const a = Math.max(0, t - half);
    const b = Math.min(n, t + half + 1);
    const k = count[b] - count[a];
    if (k < 3) continue;
    const mean = (sum[b] - sum[a]) / k;
    out[t] = Math.sqrt(Math.max(0, (sq[b] - sq[a]) / k - mean * mean));
  }
  return out;
}

/** Fills non-speech gaps of at most maxGap frames between speech, then clears speech runs shorter than minRun. */
function smooth(flags: Uint8Array, maxGap: number, minRun: number): void {
  const runs = (value: number, apply: (start: number, end: number) => void) => {
    for (let t = 0; t < flags.length; ) {
      if (flags[t] !== value) {
        t++;
        continue;
      }
      let end = t;
      while (end < flags.length && flags[end] === value) end++;
      apply(t, end);
      t = end;
    }
  };
  runs(0, (start, end) => {
    if (start > 0 && end < flags.length && end - start <= maxGap) flags.fill(1, start, end);
  });
  runs(1, (start, end) => {
    if (end - start < minRun) flags.fill(0, start, end);
  });
}
