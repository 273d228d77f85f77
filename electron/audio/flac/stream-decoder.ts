/**
 * A FLAC stream fed as consecutive byte chunks. Each push returns the samples of the frames it
 * completed; end() decodes what is left. A frame's end is known only once it has been parsed to
 * its CRC-16, so a frame cut by a chunk boundary is parsed again when more bytes arrive.
 */
import { OutOfData } from './bit-reader.ts';
import { FlacFormatError } from './errors.ts';
import { decodeFrame } from './frame.ts';
import { readMetadata, type StreamInfo } from './stream-info.ts';

export interface FlacBlock {
  /** Integer samples, one array per channel. */
  channels: Int32Array[];
  sampleRate: number;
  bitsPerSample: number;
}

export class FlacStreamDecoder {
  private pending: Uint8Array = new Uint8Array(0);
  private info: StreamInfo | undefined;
  /** Set once a frame breaks the format; nothing after it is decoded. */
  private failure: FlacFormatError | undefined;

  get streamInfo(): StreamInfo | undefined {
    return this.info;
  }

  get error(): FlacFormatError | undefined {
    return this.failure;
  }

  /** Adds bytes; returns the frames they complete. */
  push(bytes: Uint8Array): FlacBlock[] {
    if (this.failure) return [];
    this.pending = this.pending.length === 0 ? bytes.slice() : concatBytes(this.pending, bytes);
    return this.drain();
  }

  /** The end of input: a last frame cut short is reported as an error, not guessed at. */
  end(): FlacBlock[] {
    const frames = this.drain();
    if (!this.failure && this.pending.length > 0 && !(this.pending.length === ID3V1_BYTES && isId3v1Tag(this.pending, 0))) {
      this.failure = new FlacFormatError(
        this.info ? `stream ends inside a frame (${this.pending.length} bytes left over)` : 'stream ends inside its metadata',
      );
    }
    this.pending = new Uint8Array(0);
    return frames;
  }

  private drain(): FlacBlock[] {
    const frames: FlacBlock[] = [];
    let offset = 0;
    try {
      if (!this.info) {
        const { info, frameStart } = readMetadata(this.pending);
        this.info = info;
        offset = frameStart;
      }
      while (offset < this.pending.length) {
        if (isId3v1Tag(this.pending, offset)) break;
        const frame = decodeFrame(this.pending, offset, this.info);
        frames.push({ channels: frame.channels, sampleRate: frame.header.sampleRate, bitsPerSample: frame.header.bitsPerSample });
        offset = frame.end;
      }
    } catch (err) {
      // OutOfData leaves the cut frame pending for the next push (or for end() to report).
      if (err instanceof FlacFormatError) this.failure = err;
      else if (!(err instanceof OutOfData)) throw err;
    }
    this.pending = this.failure ? new Uint8Array(0) : this.pending.subarray(offset);
    return frames;
  }
}

/** Some taggers append a 128-byte ID3v1 tag ("TAG" ...) after the last frame; it is not audio, nor an error. */
const ID3V1_BYTES = 128;

/** Bytes from `offset` that start "TAG" and are no more than a tag, so far: wait for the end to tell. */
function isId3v1Tag(bytes: Uint8Array, offset: number): boolean {
  const left = bytes.length - offset;
  return left <= ID3V1_BYTES && bytes[offset] === 0x54 && (left < 2 || bytes[offset + 1] === 0x41) && (left < 3 || bytes[offset + 2] === 0x47);
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
