/**
 * A recording as the recording view reads it (issue 14 item 5): mono samples at the model's rate by
 * random access, waveform peaks and the energy that picks a zoomed-out spectrogram's frames, each
 * for only the stretch a request covers. Two kinds: a signal decoded whole into memory (compressed
 * formats), and a PCM WAV read in place (wav-signal.ts), whose memory does not grow with its length.
 */

/** Samples [first, first + count) at a source's rate. */
export interface Stretch {
  first: number;
  count: number;
}

export interface SignalSource {
  /** The model's rate, that read() answers at. */
  readonly sampleRate: number;
  /** Samples at sampleRate: what a whole-file decode gives. */
  readonly length: number;
  readonly durationSec: number;
  /** What it holds in memory, for a cache's budget. */
  readonly bytes: number;
  /** Samples [first, first + count) at sampleRate, zeros where that lies beyond the signal's ends. */
  read(first: number, count: number): Promise<Float32Array>;
  /** Several stretches, in ascending order, as read() gives each: a source may read what they share once. */
  readMany(stretches: readonly Stretch[]): Promise<Float32Array[]>;
  /**
   * The maximum |sample| over each of `points` equal slices of [startSec, endSec): one value per
   * slice, in [0, 1]. Which samples (which rate, how exactly a slice is cut) is each source's to say.
   */
  peaks(points: number, startSec: number, endSec: number): Promise<number[]>;
  /**
   * For frames [first, last) of the grid of `hop` samples at sampleRate, the energy of the hop-long
   * block centred on each, which a zoomed-out spectrogram ranks to pick its loudest frames.
   */
  frameEnergies(hop: number, first: number, last: number): Promise<Float64Array>;
}

/** Slice i of `points` equal slices of samples [first, first + span): [from, to), at least one sample wide. */
export function sliceOf(i: number, points: number, first: number, span: number): { from: number; to: number } {
  const from = first + Math.floor((i * span) / points);
  // A slice narrower than one sample (deep zoom) still shows the sample it falls on.
  return { from, to: Math.max(from + 1, first + Math.floor(((i + 1) * span) / points)) };
}

/** Max |sample| over equal slices of samples[first, last), as the peaks of a decoded signal. */
export function slicePeaks(samples: Float32Array, points: number, first: number, last: number): number[] {
  const peaks = new Array<number>(points);
  for (let i = 0; i < points; i++) {
    const { from, to } = sliceOf(i, points, first, last - first);
    let max = 0;
    for (let j = from; j < to && j < last; j++) {
      const v = Math.abs(samples[j]);
      if (v > max) max = v;
    }
    peaks[i] = Math.min(1, max);
  }
  return peaks;
}

/** A whole decoded signal: reads are copies out of memory, peaks and energies its own samples'. */
export function inMemorySource(samples: Float32Array, sampleRate: number): SignalSource {
  const read = (first: number, count: number): Float32Array => {
    const out = new Float32Array(count);
    const from = Math.max(0, first);
    const to = Math.min(samples.length, first + count);
    if (to > from) out.set(samples.subarray(from, to), from - first);
    return out;
  };
  return {
    sampleRate,
    length: samples.length,
    durationSec: samples.length / sampleRate,
    bytes: samples.byteLength,
    read: async (first, count) => read(first, count),
    readMany: async (stretches) => stretches.map(({ first, count }) => read(first, count)),
    peaks: async (points, startSec, endSec) =>
      slicePeaks(samples, points, Math.floor(startSec * sampleRate), Math.min(samples.length, Math.ceil(endSec * sampleRate))),
    frameEnergies: async (hop, first, last) => {
      const energies = new Float64Array(Math.max(0, last - first));
      for (let t = first; t < last; t++) {
        const from = Math.max(0, t * hop - (hop >> 1));
        const to = Math.min(samples.length, from + hop);
        let e = 0;
        for (let i = from; i < to; i++) e += samples[i] * samples[i];
        energies[t - first] = e;
      }
      return energies;
    },
  };
}
