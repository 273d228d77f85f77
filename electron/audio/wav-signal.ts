/**
 * A PCM WAV file as a SignalSource read in place (issue 14 item 5): a stretch is the bytes of its
 * frames (seeked to by arithmetic), mixed to mono and converted with resampleStretch, so it equals
 * the same samples of a whole-file decode; the waveform's peaks and the frames' energies come from an
 * index of the source-rate signal built by one pass over the file. Memory holds the index (8 bytes
 * per INDEX_BLOCK source frames: 21 MB for 2 hours at 48 kHz) and what one request reads.
 */
import { AudioFile } from './audio-file.ts';
import { downmix } from './decode.ts';
import { detectStream } from './formats/detect.ts';
import { resampleStretch, stretchInput } from './resample.ts';
import { sliceOf, slicePeaks, type SignalSource, type Stretch } from './signal-source.ts';
import { WASM_PLAIN } from './pcm16-index-simd-wasm.ts';
import { decodeWavFrames, type WavLayout } from './formats/wav.ts';

/** Source frames per index entry: a peak of the overview may reach this far past its slice's edges. */
export const INDEX_BLOCK = 128;
/** Peaks of a stretch up to this many source frames (87 s at 48 kHz) are read exactly from the file; longer ones from the index. */
export const EXACT_PEAK_FRAMES = 1 << 22;
/** Stretches at most this many source frames apart (21 ms at 48 kHz) are read together, no more than MAX_READ_FRAMES (16 MB of 48 kHz stereo) at once: merging farther apart ones converts more samples than it saves reads. */
const MERGE_GAP_FRAMES = 1024;
const MAX_READ_FRAMES = 1 << 22;
/** Bytes per read of the index's pass (two buffers of it are held). */
const PASS_BYTES = 8 << 20;
/** An open file is closed this long after its last read, so an evicted source leaks no descriptor. */
const IDLE_CLOSE_MS = 2000;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

interface SourceIndex {
  /** Max |mono sample| of each block of INDEX_BLOCK source frames. */
  peak: Float32Array;
  /** Sum of the squared mono samples of each block. */
  energy: Float32Array;
}

/** A reader for `path` when it is integer PCM WAV (float WAVs decode whole, as their non-finite samples must be refused); null otherwise. */
export async function openWavSignal(path: string, sampleRate: number): Promise<WavSignal | null> {
  const file = await AudioFile.open(path);
  try {
    const { wav } = await detectStream(file);
    return wav?.encoding === 'pcm' && wav.frames > 0 ? new WavSignal(path, wav, sampleRate) : null;
  } finally {
    await file.close();
  }
}

/** Whether 16-bit PCM of one or two channels can be read as an Int16Array in place: nearly every long recording. */
function int16Frames(bytes: Uint8Array, layout: WavLayout): { pcm: Int16Array; frames: number; stride: number } | null {
  const stride = layout.blockAlign / 2;
  if (layout.bytesPerSample !== 2 || layout.channels > 2 || !Number.isInteger(stride) || bytes.byteOffset % 2 !== 0 || !LITTLE_ENDIAN) return null;
  const frames = Math.floor(bytes.length / layout.blockAlign);
  return { pcm: new Int16Array(bytes.buffer, bytes.byteOffset, frames * stride), frames, stride };
}

/**
 * Mono samples of whole frames of WAV data: the mean of the channels, as the decoder mixes them. For
 * 16-bit in one pass with the same values: (L + R) / 65536 is exactly the decoder's
 * (L / 32768 + R / 32768) / 2, every step exact in float32.
 */
function monoOf(bytes: Uint8Array, layout: WavLayout): Float32Array {
  const int16 = int16Frames(bytes, layout);
  if (!int16) return downmix(decodeWavFrames(bytes, layout));
  const { pcm, frames, stride } = int16;
  const mono = new Float32Array(frames);
  if (layout.channels === 1) for (let f = 0, i = 0; f < frames; f++, i += stride) mono[f] = pcm[i] / 32768;
  else for (let f = 0, i = 0; f < frames; f++, i += stride) mono[f] = (pcm[i] + pcm[i + 1]) / 65536;
  return mono;
}

/** The stereo 16-bit index loop (pcm16-index-simd.wat) and the memory it reads: a pass's bytes, then its entries. */
const memory = new WebAssembly.Memory({ initial: 1 });
const simd = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(WASM_PLAIN, 'base64')), { env: { memory } }).exports as {
  stereoBlocks(src: number, blocks: number, peak: number, energy: number): void;
};
const PAGE_BYTES = 65536;
/** Bytes of one index block of 16-bit stereo. */
const STEREO_BLOCK_BYTES = INDEX_BLOCK * 4;

/** Index entries of the whole blocks of 16-bit stereo `bytes`, from entry `block` on; how many it wrote. */
function stereoIndexBlocks(bytes: Uint8Array, index: SourceIndex, block: number): number {
  const blocks = Math.floor(bytes.length / STEREO_BLOCK_BYTES);
  const input = blocks * STEREO_BLOCK_BYTES;
  const needed = input + blocks * 8;
  if (needed > memory.buffer.byteLength) memory.grow(Math.ceil((needed - memory.buffer.byteLength) / PAGE_BYTES));
  new Uint8Array(memory.buffer).set(bytes.subarray(0, input));
  simd.stereoBlocks(0, blocks, input, input + blocks * 4);
  index.peak.set(new Float32Array(memory.buffer, input, blocks), block);
  index.energy.set(new Float32Array(memory.buffer, input + blocks * 4, blocks), block);
  return blocks;
}

/** Writes the index entries of whole frames of WAV data, from entry `block` on. */
function indexBlocks(bytes: Uint8Array, layout: WavLayout, index: SourceIndex, block: number): void {
  // 16-bit stereo, what most recorders write, in SIMD; the rest (and a last partial block) from the decoder's floats.
  const simdBlocks = layout.bytesPerSample === 2 && layout.channels === 2 && layout.blockAlign === 4 ? stereoIndexBlocks(bytes, index, block) : 0;
  const mono = monoOf(bytes.subarray(simdBlocks * INDEX_BLOCK * layout.blockAlign), layout);
  for (let offset = 0, b = block + simdBlocks; offset < mono.length; offset += INDEX_BLOCK, b++) {
    const end = Math.min(mono.length, offset + INDEX_BLOCK);
    let max = 0;
    let e = 0;
    for (let i = offset; i < end; i++) {
      const v = mono[i];
      e += v * v;
      if (v > max) max = v;
      else if (-v > max) max = -v;
    }
    index.peak[b] = max;
    index.energy[b] = e;
  }
}

export class WavSignal implements SignalSource {
  readonly length: number;
  readonly durationSec: number;
  private index?: Promise<SourceIndex>;
  private file?: Promise<AudioFile>;
  private users = 0;
  private closeTimer?: NodeJS.Timeout;

  constructor(
    readonly path: string,
    private readonly layout: WavLayout,
    readonly sampleRate: number,
  ) {
    // As many samples as the stream resampler's total: round(frames × out / in).
    this.length = Math.round((layout.frames * sampleRate) / layout.sampleRate);
    this.durationSec = this.length / sampleRate;
  }

  /** The index's, built or not. */
  get bytes(): number {
    return Math.ceil(this.layout.frames / INDEX_BLOCK) * 8;
  }

  async read(first: number, count: number): Promise<Float32Array> {
    return (await this.readMany([{ first, count }]))[0];
  }

  /** Stretches near each other (in the order given) share one read of the file; each is then converted alone. */
  async readMany(stretches: readonly Stretch[]): Promise<Float32Array[]> {
    const rate = this.layout.sampleRate;
    const plans = stretches.map(({ first, count }) => {
      // The outputs that lie within the signal, and the source frames they read.
      const from = Math.max(0, first);
      const to = Math.min(this.length, first + count);
      return { first, count, from, to, input: to > from ? stretchInput(rate, this.sampleRate, from, to - from) : undefined };
    });
    // Stretches close together share one read of the file.
    const groups: { plans: typeof plans; from: number; to: number }[] = [];
    for (let i = 0; i < plans.length; ) {
      let lo = Infinity;
      let hi = -Infinity;
      let j = i;
      for (; j < plans.length; j++) {
        const input = plans[j].input;
        if (!input) continue;
        if (j > i && (input.start - hi > MERGE_GAP_FRAMES || Math.max(hi, input.end) - lo > MAX_READ_FRAMES)) break;
        lo = Math.min(lo, input.start);
        hi = Math.max(hi, input.end);
      }
      groups.push({ plans: plans.slice(i, j), from: Math.max(0, lo), to: Math.min(this.layout.frames, hi) });
      i = j;
    }
    const out: Float32Array[] = [];
    const { dataOffset, blockAlign } = this.layout;
    await this.withFile(async (file) => {
      for (const { plans: group, from: readFrom, to: readTo } of groups) {
        // Short reads, from the page cache once the index pass has been: synchronous (readNow) is faster.
        const mono = readTo > readFrom ? monoOf(file.readNow(dataOffset + readFrom * blockAlign, (readTo - readFrom) * blockAlign), this.layout) : new Float32Array(0);
        for (const { first, count, from, to, input } of group) {
          const samples = new Float32Array(count);
          if (input) {
            const held = new Float32Array(input.end - input.start);
            const a = Math.max(0, input.start);
            const b = Math.min(this.layout.frames, input.end);
            if (b > a) held.set(mono.subarray(a - readFrom, b - readFrom), a - input.start);
            samples.set(resampleStretch(held, rate, this.sampleRate, from, to - from), from - first);
          }
          out.push(samples);
        }
      }
    });
    return out;
  }

  /**
   * At the source's rate: a stretch of at most EXACT_PEAK_FRAMES is sliced exactly as the peaks of a
   * decode at the source's rate; a longer one takes, per slice, the index's blocks it overlaps (so a
   * peak may include up to INDEX_BLOCK - 1 frames either side of its slice, never fewer than it has).
   */
  async peaks(points: number, startSec: number, endSec: number): Promise<number[]> {
    const rate = this.layout.sampleRate;
    const first = Math.floor(startSec * rate);
    const last = Math.min(this.layout.frames, Math.ceil(endSec * rate));
    if (last - first <= EXACT_PEAK_FRAMES) return slicePeaks(await this.sourceFrames(first, last), points, 0, last - first);
    const { peak } = await this.sourceIndex();
    const out = new Array<number>(points);
    for (let i = 0; i < points; i++) {
      const { from, to } = sliceOf(i, points, first, last - first);
      let max = 0;
      for (let b = Math.floor(from / INDEX_BLOCK); b < Math.ceil(to / INDEX_BLOCK); b++) if (peak[b] > max) max = peak[b];
      out[i] = Math.min(1, max);
    }
    return out;
  }

  /** From the index: a frame's block, at the source's rate, widened to the index's blocks it overlaps. */
  async frameEnergies(hop: number, first: number, last: number): Promise<Float64Array> {
    const { energy } = await this.sourceIndex();
    const ratio = this.layout.sampleRate / this.sampleRate;
    const out = new Float64Array(Math.max(0, last - first));
    for (let t = first; t < last; t++) {
      const from = Math.max(0, t * hop - (hop >> 1)) * ratio;
      const to = Math.min(this.layout.frames, (Math.max(0, t * hop - (hop >> 1)) + hop) * ratio);
      let e = 0;
      for (let b = Math.floor(from / INDEX_BLOCK); b < Math.ceil(to / INDEX_BLOCK); b++) e += energy[b];
      out[t - first] = e;
    }
    return out;
  }

  /** Mono source-rate samples of frames [first, last). */
  private sourceFrames(first: number, last: number): Promise<Float32Array> {
    const { dataOffset, blockAlign } = this.layout;
    if (last <= first) return Promise.resolve(new Float32Array(0));
    return this.withFile(async (file) => monoOf(await file.read(dataOffset + first * blockAlign, (last - first) * blockAlign), this.layout));
  }

  private sourceIndex(): Promise<SourceIndex> {
    this.index ??= this.buildIndex();
    return this.index;
  }

  private async buildIndex(): Promise<SourceIndex> {
    const { frames, dataOffset, blockAlign } = this.layout;
    const blocks = Math.ceil(frames / INDEX_BLOCK);
    const index = { peak: new Float32Array(blocks), energy: new Float32Array(blocks) };
    // Whole index blocks a read.
    const passFrames = Math.max(1, Math.floor(PASS_BYTES / blockAlign / INDEX_BLOCK)) * INDEX_BLOCK;
    await this.withFile(async (file) => {
      // Two buffers, reused: the next read runs (on libuv's thread) while this one is indexed.
      const buffers = [new Uint8Array(passFrames * blockAlign), new Uint8Array(passFrames * blockAlign)];
      const readPass = (k: number) => {
        const start = k * passFrames;
        const buffer = buffers[k % 2].subarray(0, (Math.min(frames, start + passFrames) - start) * blockAlign);
        return file.readInto(buffer, dataOffset + start * blockAlign);
      };
      const passes = Math.ceil(frames / passFrames);
      let next = readPass(0);
      for (let k = 0; k < passes; k++) {
        const bytes = await next;
        if (k + 1 < passes) next = readPass(k + 1);
        indexBlocks(bytes, this.layout, index, (k * passFrames) / INDEX_BLOCK);
      }
    });
    return index;
  }

  private async withFile<T>(use: (file: AudioFile) => Promise<T>): Promise<T> {
    clearTimeout(this.closeTimer);
    this.users++;
    try {
      this.file ??= AudioFile.open(this.path).catch((err: unknown) => {
        this.file = undefined; // the next request tries again
        throw err;
      });
      return await use(await this.file);
    } finally {
      if (--this.users === 0) {
        const file = this.file;
        this.closeTimer = setTimeout(() => {
          if (this.file === file) this.file = undefined;
          void file?.then((f) => f.close()).catch(() => {});
        }, IDLE_CLOSE_MS);
        this.closeTimer.unref();
      }
    }
  }
}
