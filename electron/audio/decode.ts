/**
 * Public audio decoding API, the one front door: any supported file → mono Float32 samples at the
 * feature sample rate, streamed in bounded chunks so long recordings never sit in memory whole.
 * formats/detect.ts picks the format's reader; what every format shares happens here.
 */
import { AudioFile } from './audio-file.ts';
import { AudioDecodeError } from './errors.ts';
import { detectStream, type DetectedStream } from './formats/detect.ts';
import type { AudioInfo, PcmBlock } from './formats/format-reader.ts';
import { concat, createResampler, MAX_RESAMPLE_RATE, type ResampleQuality, type StreamResampler } from './resample.ts';
import { DEFAULT_FEATURES } from './settings.ts';

export { AudioDecodeError, type AudioErrorReason } from './errors.ts';
export type { AudioFormat, AudioInfo } from './formats/format-reader.ts';

export interface DecodeOptions {
  /** Output sample rate in Hz; defaults to the feature settings' rate. */
  targetRate?: number;
  /** decodeStream yields chunks of this many seconds (the last one shorter). */
  chunkSeconds?: number;
  /**
   * @deprecated There is one resampler design, DEFAULT_RESAMPLE_QUALITY; this is accepted, and
   * ignored, until the callers that still name it (feature-cache) stop passing it.
   */
  quality?: ResampleQuality;
  /**
   * Told of each problem that still leaves audio to use (a file cut short, decoder frame errors),
   * as it is found: the file decodes, but its result should say what is missing.
   */
  onWarning?: (warning: string) => void;
}

export interface DecodedAudio {
  /** Mono (mean of the channels) at sampleRate. */
  samples: Float32Array;
  sampleRate: number;
  source: AudioInfo;
  durationSec: number;
  /** What onWarning was told, in order. */
  warnings: string[];
}

interface ResolvedOptions {
  targetRate: number;
  chunkSamples: number;
  warn: (warning: string) => void;
}

/** Format, rate, channels and (when the headers say) duration, from the headers alone. */
export async function probeAudio(path: string): Promise<AudioInfo> {
  return withFile(path, async (file) => (await detectStream(file)).info);
}

/** Mono chunks at targetRate, each chunkSeconds long except the last. */
export async function* decodeStream(path: string, options: DecodeOptions = {}): AsyncGenerator<Float32Array> {
  const resolved = resolveOptions(options);
  const file = await AudioFile.open(path);
  try {
    yield* decodeChunks(file, await detectStream(file), resolved);
  } finally {
    await file.close();
  }
}

/** The whole file as one mono signal at targetRate. */
export async function decodeFile(path: string, options: DecodeOptions = {}): Promise<DecodedAudio> {
  const warnings: string[] = [];
  const resolved = resolveOptions({
    ...options,
    onWarning: (warning) => {
      warnings.push(warning);
      options.onWarning?.(warning);
    },
  });
  return withFile(path, async (file) => {
    const stream = await detectStream(file);
    const chunks: Float32Array[] = [];
    for await (const chunk of decodeChunks(file, stream, resolved)) chunks.push(chunk);
    const samples = concat(chunks);
    const sampleRate = resolved.targetRate;
    return { samples, sampleRate, source: stream.info, durationSec: samples.length / sampleRate, warnings };
  });
}

async function withFile<T>(path: string, use: (file: AudioFile) => Promise<T>): Promise<T> {
  const file = await AudioFile.open(path);
  try {
    return await use(file);
  } finally {
    await file.close();
  }
}

function resolveOptions(options: DecodeOptions): ResolvedOptions {
  const targetRate = options.targetRate ?? DEFAULT_FEATURES.sampleRate;
  const chunkSeconds = options.chunkSeconds ?? 30;
  if (!Number.isInteger(targetRate) || targetRate < 1 || targetRate > MAX_RESAMPLE_RATE) {
    throw new RangeError(`targetRate must be an integer from 1 to ${MAX_RESAMPLE_RATE} Hz, got ${targetRate}`);
  }
  if (!(chunkSeconds > 0) || !Number.isFinite(chunkSeconds)) {
    throw new RangeError(`chunkSeconds must be a positive number, got ${chunkSeconds}`);
  }
  const chunkSamples = Math.max(1, Math.floor(chunkSeconds * targetRate));
  return { targetRate, chunkSamples, warn: options.onWarning ?? (() => {}) };
}

function decodeChunks(file: AudioFile, stream: DetectedStream, options: ResolvedOptions): AsyncGenerator<Float32Array> {
  stream.warnings.forEach(options.warn);
  const mono = checkedMono(stream.blocks(file, options.warn), file.path);
  return fixedChunks(resampled(mono, file.path, options), options.chunkSamples);
}

interface MonoBlock {
  samples: Float32Array;
  sampleRate: number;
}

/** Mixes each block to mono (the channel mean), rejects NaN/±Inf, and rejects a stream with no samples. */
async function* checkedMono(blocks: AsyncIterable<PcmBlock>, path: string): AsyncGenerator<MonoBlock> {
  let position = 0;
  for await (const block of blocks) {
    const samples = downmix(block.channels);
    // x - x is NaN exactly when x is NaN or ±Inf, so one summing pass clears a block; the search runs only on a bad one.
    let probe = 0;
    for (let i = 0; i < samples.length; i++) probe += samples[i] - samples[i];
    if (probe !== 0) {
      const bad = samples.findIndex((x) => !Number.isFinite(x));
      const seconds = ((position + bad) / block.sampleRate).toFixed(3);
      throw new AudioDecodeError(path, 'non-finite', `non-finite sample (${samples[bad]}) at ${seconds} s`);
    }
    position += samples.length;
    if (samples.length > 0) yield { samples, sampleRate: block.sampleRate };
  }
  if (position === 0) throw new AudioDecodeError(path, 'no-samples', 'no audio samples in file');
}

/** Mono samples: the mean of the channels. */
export function downmix(channels: readonly Float32Array[]): Float32Array {
  if (channels.length <= 1) return channels[0] ?? new Float32Array(0);
  const [first, second] = channels;
  const mono = new Float32Array(first.length);
  // Stereo, what most recorders write, in one pass with no accumulate-then-scale sweeps.
  if (channels.length === 2) {
    for (let i = 0; i < mono.length; i++) mono[i] = (first[i] + second[i]) * 0.5;
    return mono;
  }
  for (const channel of channels) {
    for (let i = 0; i < mono.length; i++) mono[i] += channel[i];
  }
  const scale = 1 / channels.length;
  for (let i = 0; i < mono.length; i++) mono[i] *= scale;
  return mono;
}

async function* resampled(
  blocks: AsyncIterable<MonoBlock>,
  path: string,
  options: ResolvedOptions,
): AsyncGenerator<Float32Array> {
  let resampler: StreamResampler | undefined;
  try {
    for await (const block of blocks) {
      resampler ??= await resamplerFor(block.sampleRate, path, options);
      if (block.sampleRate !== resampler.inputRate) {
        throw new AudioDecodeError(
          path,
          'unsupported-codec',
          `sample rate changes mid-stream (${resampler.inputRate} → ${block.sampleRate} Hz)`,
        );
      }
      yield resampler.push(block.samples);
    }
    if (resampler) yield resampler.end();
  } finally {
    resampler?.dispose();
  }
}

/** Below 1 kHz a file holds no speech band to classify; it is a corrupt or hostile header, not audio to resample. */
export const MIN_SOURCE_RATE = 1000;

function resamplerFor(sourceRate: number, path: string, options: ResolvedOptions): Promise<StreamResampler> {
  if (!Number.isInteger(sourceRate) || sourceRate < MIN_SOURCE_RATE || sourceRate > MAX_RESAMPLE_RATE) {
    const range = `${MIN_SOURCE_RATE / 1000} kHz to ${MAX_RESAMPLE_RATE / 1000} kHz`;
    throw new AudioDecodeError(path, 'unsupported-codec', `unsupported sample rate ${sourceRate} Hz (supported: ${range})`);
  }
  return createResampler(sourceRate, options.targetRate);
}

/** Regroups a stream of arbitrary-length pieces into chunks of exactly `size` samples (the last may be shorter). */
async function* fixedChunks(pieces: AsyncIterable<Float32Array>, size: number): AsyncGenerator<Float32Array> {
  let chunk = new Float32Array(size);
  let filled = 0;
  for await (const piece of pieces) {
    for (let offset = 0; offset < piece.length; ) {
      const n = Math.min(size - filled, piece.length - offset);
      chunk.set(piece.subarray(offset, offset + n), filled);
      filled += n;
      offset += n;
      if (filled === size) {
        yield chunk;
        chunk = new Float32Array(size);
        filled = 0;
      }
    }
  }
  // A copy, so a short file does not keep a whole chunk's buffer alive.
  if (filled > 0) yield chunk.slice(0, filled);
}
