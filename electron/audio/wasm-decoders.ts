import { AsyncLocalStorage } from 'node:async_hooks';
import type { CompressedFormat, DecodedBlock, StreamingDecoder } from './formats/compressed.ts';

/** Decoded by wasm-audio-decoders; FLAC has a decoder of our own (flac/), as the wasm one dropped whole frames. */
type WasmFormat = Exclude<CompressedFormat, 'flac'>;

type WasmOutput = DecodedBlock & { errors: { message: string }[] };

/** The shape the three wasm-audio-decoders classes share. */
interface WasmDecoder {
  ready: Promise<void>;
  decode(bytes: Uint8Array): WasmOutput | Promise<WasmOutput>;
  flush?(): Promise<WasmOutput>;
  free(): void;
}

const EMPTY_BLOCK: DecodedBlock = { channelData: [], samplesDecoded: 0, sampleRate: 0 };

/** Loaded on first use: each package embeds its wasm, and most runs need only one format. */
async function instantiate(format: WasmFormat): Promise<WasmDecoder> {
  switch (format) {
    case 'mp3':
      return new (await import('mpg123-decoder')).MPEGDecoder();
    case 'ogg-vorbis':
      return new (await import('@wasm-audio-decoders/ogg-vorbis')).OggVorbisDecoder();
    case 'ogg-opus':
      return new (await import('ogg-opus-decoder')).OggOpusDecoder();
  }
}

export async function createWasmDecoder(format: WasmFormat): Promise<StreamingDecoder> {
  const decoder = await instantiate(format);
  try {
    await decoder.ready;
  } catch (err) {
    decoder.free();
    throw err;
  }
  let firstError: string | undefined;
  let errorCount = 0;
  const note = async (call: () => WasmOutput | Promise<WasmOutput>): Promise<DecodedBlock> => {
    const printed: string[] = [];
    const block = await captureConsoleError(call, printed);
    // A decoder that prints its errors prints each one it returns; its own line names the decoder.
    firstError ??= printed[0] ?? block.errors[0]?.message;
    errorCount += Math.max(printed.length, block.errors.length);
    return block;
  };
  const flush = decoder.flush?.bind(decoder);
  return {
    decode: (bytes) => note(() => decoder.decode(bytes)),
    // mpg123's feed API has nothing to flush: a partial last frame is dropped.
    flush: async () => (flush ? note(flush) : EMPTY_BLOCK),
    free: () => decoder.free(),
    get firstError() {
      return firstError;
    },
    get errorCount() {
      return errorCount;
    },
  };
}

/**
 * The decoders print each frame error with console.error ("mpg123-decoder: -1 MPG123_ERR",
 * "libopus -4 OPUS_INVALID_PACKET") besides returning it, which would land in the middle of the
 * CLI's output; those lines belong to the file's warning. Some print after an internal await, so
 * the call runs in an async context that console.error, swapped while any call is running, checks:
 * lines from inside a call go to its list, everyone else's go through, even with decodes interleaved.
 */
const capturing = new AsyncLocalStorage<string[]>();
let uncaptured: typeof console.error | undefined;
let running = 0;

async function captureConsoleError<T>(call: () => T | Promise<T>, printed: string[]): Promise<T> {
  if (running++ === 0) {
    const original = console.error;
    uncaptured = original;
    console.error = (...args: unknown[]) => {
      const lines = capturing.getStore();
      if (lines) lines.push(args.map(String).join(' ').replace(/\s+/g, ' ').trim());
      else original(...args);
    };
  }
  try {
    return await capturing.run(printed, call);
  } finally {
    if (--running === 0) console.error = uncaptured as typeof console.error;
  }
}
