/**
 * What the compressed formats (FLAC, MP3, Ogg Vorbis, Ogg Opus) share: a streaming decoder fed the
 * stream's bytes in bounded reads, its per-frame errors turned into a warning or a typed error, and
 * a decode shorter than the header's duration reported as truncated.
 */
import type { AudioFile } from '../audio-file.ts';
import { AudioDecodeError, truncatedWarning } from '../errors.ts';
import type { AudioFormat, FormatReader, PcmBlock, Probed, StreamStart, Warn } from './format-reader.ts';

/** Planar output of one decode call. */
export interface DecodedBlock {
  channelData: Float32Array[];
  samplesDecoded: number;
  sampleRate: number;
}

/** One file's decoder, fed consecutive byte chunks of the file; must be freed. */
export interface StreamingDecoder {
  decode(bytes: Uint8Array): Promise<DecodedBlock>;
  /** Decodes whatever the decoder still buffers at the end of the input. */
  flush(): Promise<DecodedBlock>;
  free(): void;
  /** The first per-frame error the decoder reported (they are not thrown), to explain an empty result or warn. */
  readonly firstError: string | undefined;
  /** How many per-frame errors it reported in all. */
  readonly errorCount: number;
}

export type CompressedFormat = Exclude<AudioFormat, 'wav'>;

/** Byte range to feed the decoder: after any ID3v2 tag, and up to the last complete Ogg page. */
export interface ByteRange {
  start: number;
  end: number;
}

/** A compressed format's reader: its own header probe, the shared decode loop over its decoder. */
export function compressedReader<Start = StreamStart>(
  createDecoder: () => StreamingDecoder | Promise<StreamingDecoder>,
  probe: FormatReader<ByteRange, Start>['probe'],
): FormatReader<ByteRange, Start> {
  return { probe, blocks: (file, probed, warn) => decodedBlocks(file, probed, createDecoder, warn) };
}

/** A decode this much shorter than the header's duration lost audio; less is encoder delay and padding. */
const TRUNCATION_TOLERANCE_SEC = 0.05;

/**
 * Compressed bytes fed to a decoder at a time. A read's PCM, not its bytes, is what memory holds:
 * 1 MiB of 128 kbit/s MP3 is a minute of audio, 25 MB as 48 kHz stereo floats (and the decoder's
 * heap grows to hold it); 64 KiB keeps each block to a few seconds whatever the bit rate.
 */
const COMPRESSED_READ_BYTES = 64 * 1024;

async function* decodedBlocks(
  file: AudioFile,
  probed: Probed<ByteRange>,
  createDecoder: () => StreamingDecoder | Promise<StreamingDecoder>,
  warn: Warn,
): AsyncGenerator<PcmBlock> {
  const { format } = probed.info;
  const decoder = await asDecodeError(file.path, format, async () => createDecoder());
  let decoded = 0;
  let sampleRate = probed.info.sampleRate;
  const step = async (run: () => Promise<DecodedBlock>): Promise<PcmBlock> => {
    const block = await asDecodeError(file.path, format, run);
    decoded += block.samplesDecoded;
    if (block.samplesDecoded > 0) sampleRate = block.sampleRate;
    return { channels: block.channelData, sampleRate: block.sampleRate };
  };
  try {
    for await (const bytes of file.chunks(probed.layout.start, probed.layout.end, COMPRESSED_READ_BYTES)) {
      yield await step(() => decoder.decode(bytes));
    }
    yield await step(() => decoder.flush());
    if (decoded === 0 && decoder.firstError) {
      const detail = `no audio samples decoded (${format}: ${decoder.firstError})`;
      throw new AudioDecodeError(file.path, 'no-samples', detail);
    }
    if (decoder.firstError) {
      const count = decoder.errorCount === 1 ? 'an error' : `${decoder.errorCount} errors`;
      warn(`${format} decoder reported ${count} (first: ${decoder.firstError})`);
    }
    const declared = probed.info.durationSec;
    if (declared !== undefined && decoded / sampleRate < declared - TRUNCATION_TOLERANCE_SEC) {
      warn(truncatedWarning(decoded / sampleRate, declared));
    }
  } finally {
    decoder.free();
  }
}

/** The wasm decoders throw plain Errors (or strings); give them the file's name and a reason. */
async function asDecodeError<T>(path: string, format: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AudioDecodeError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    const reason = /does not support this codec/i.test(message) ? 'unsupported-codec' : 'unreadable';
    throw new AudioDecodeError(path, reason, `${format} decoder failed: ${message}`, { cause: err });
  }
}
