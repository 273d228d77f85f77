import { windowSamples, type FeatureSettings } from './settings.ts';

/** One model window of a recording: its samples (zero-padded to the window length) and where it lies. */
export interface AudioWindow {
  /** Seconds from the start of the recording. */
  start: number;
  end: number;
  samples: Float32Array;
}

/**
 * Cuts a stream of mono chunks into model windows of settings.windowSeconds every hopSeconds.
 * A recording shorter than one window gives one zero-padded window; a longer one gives windows
 * every hop, plus one aligned to the end when the hops leave a tail uncovered, so every sample is
 * seen without padding. Holds at most one window plus one chunk in memory.
 */
export async function* slidingWindows(
  chunks: AsyncIterable<Float32Array> | Iterable<Float32Array>,
  settings: FeatureSettings,
  hopSeconds: number,
): AsyncGenerator<AudioWindow> {
  const sr = settings.sampleRate;
  const size = windowSamples(settings);
  const hop = Math.max(1, Math.round(hopSeconds * sr));
  // buffer[0] is sample number `offset` of the recording.
  let buffer = new Float32Array(0);
  let offset = 0;
  let nextStart = 0;
  let lastEnd = 0;
  let total = 0;
  const at = (start: number, length: number): AudioWindow => {
    const samples = new Float32Array(size);
    samples.set(buffer.subarray(start - offset, start - offset + length));
    return { start: start / sr, end: (start + length) / sr, samples };
  };
  for await (const chunk of chunks) {
    total += chunk.length;
    const joined = new Float32Array(buffer.length + chunk.length);
    joined.set(buffer);
    joined.set(chunk, buffer.length);
    buffer = joined;
    while (nextStart + size <= total) {
      yield at(nextStart, size);
      lastEnd = nextStart + size;
      nextStart += hop;
    }
    // Keep what a later window (or the end-aligned tail window) can still need.
    const keepFrom = Math.min(nextStart, Math.max(0, total - size));
    if (keepFrom > offset) {
      buffer = buffer.slice(keepFrom - offset);
      offset = keepFrom;
    }
  }
  if (total === 0) return;
  if (total <= size) {
    if (lastEnd === 0) yield at(0, total);
  } else if (lastEnd < total) {
    yield at(total - size, size);
  }
}
