/** WAV (RIFF and RF64, PCM and IEEE float): the layout from the chunk headers, and the samples read in place. */
import { READ_BYTES, type AudioFile } from '../audio-file.ts';
import { ascii, dataView } from '../bytes.ts';
import { AudioDecodeError, truncatedWarning } from '../errors.ts';
import type { FormatReader } from './format-reader.ts';

/** Where a WAV file's samples are and how to read them. */
export interface WavLayout {
  encoding: 'pcm' | 'float';
  /** Container bytes per sample: 1 (unsigned 8-bit), 2, 3, 4 (PCM or float) or 8 (float). */
  bytesPerSample: number;
  channels: number;
  sampleRate: number;
  /** Bytes per frame (all channels); may exceed channels × bytesPerSample when frames are padded. */
  blockAlign: number;
  dataOffset: number;
  /** Whole frames actually present: the data chunk's declared size, cut to what the file holds. */
  frames: number;
  /** What the header gets wrong that reading around it hides: a data size the file does not hold. */
  warnings: string[];
}

/** RIFF header (12) + minimal fmt chunk (8 + 16) + data chunk header (8). */
const MIN_HEADER_BYTES = 44;
const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_IEEE_FLOAT = 3;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
/** Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID derived from a WAVE format tag. */
const SUBTYPE_GUID_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];
/** A 32-bit size of 0xFFFFFFFF means "see the ds64 chunk" in RF64, and "not known yet" from a recorder that streamed the file. */
const UNSET_SIZE = 0xffffffff;

const FORMAT_TAG_NAMES: Readonly<Record<number, string>> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'µ-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
};

interface FmtChunk {
  encoding: WavLayout['encoding'];
  bytesPerSample: number;
  channels: number;
  sampleRate: number;
  blockAlign: number;
}

/** True when the bytes start a RIFF/RF64 WAVE file (possibly truncated after the magic). */
export function looksLikeWav(head: Uint8Array): boolean {
  const riff = ascii(head, 0, 4);
  return (riff === 'RIFF' || riff === 'RF64') && (head.length < 12 || ascii(head, 8, 4) === 'WAVE');
}

/**
 * Walks the RIFF chunks to the fmt and data chunks, skipping unknown chunks (LIST, JUNK, bext,
 * ...) and odd-size padding. Reads only chunk headers, so a huge file costs a few small reads.
 */
async function parseWavHeader(file: AudioFile): Promise<WavLayout> {
  const truncated = (needed: number): AudioDecodeError =>
    new AudioDecodeError(
      file.path,
      'truncated',
      `truncated WAV header (${file.size} of ${Math.max(MIN_HEADER_BYTES, needed)} bytes)`,
    );
  const riff = await file.read(0, 12);
  if (riff.length < 12) throw truncated(12);
  const isRf64 = ascii(riff, 0, 4) === 'RF64';

  let fmt: FmtChunk | undefined;
  let data: { offset: number; declaredBytes: number } | undefined;
  let rf64DataBytes: number | undefined;
  let position = 12;
  for (;;) {
    const header = await file.read(position, 8);
    if (header.length < 8) {
      if (data && !fmt) throw new AudioDecodeError(file.path, 'truncated', 'WAV file has no fmt chunk');
      throw truncated(position + 8);
    }
    const view = dataView(header);
    const id = ascii(header, 0, 4);
    let size = view.getUint32(4, true);
    const body = position + 8;

    if (id === 'ds64' && isRf64) {
      if (body + 16 > file.size) throw truncated(body + 16);
      const ds64 = await file.read(body + 8, 8);
      rf64DataBytes = Number(dataView(ds64).getBigUint64(0, true));
    } else if (id === 'fmt ') {
      if (body + size > file.size) throw truncated(body + size);
      fmt = parseFmt(file.path, await file.read(body, size));
    } else if (id === 'data') {
      if (isRf64 && size === UNSET_SIZE && rf64DataBytes !== undefined) size = rf64DataBytes;
      data = { offset: body, declaredBytes: size };
    }
    // fmt normally precedes data; when it does not, the walk goes on past the samples to find it.
    if (fmt && data) {
      const present = Math.max(0, file.size - data.offset);
      const frames = Math.floor(Math.min(data.declaredBytes, present) / fmt.blockAlign);
      return { ...fmt, dataOffset: data.offset, frames, warnings: dataSizeWarnings(fmt, data.declaredBytes, present, frames) };
    }
    position = body + size + (size & 1);
  }
}

function dataSizeWarnings(fmt: FmtChunk, declaredBytes: number, presentBytes: number, frames: number): string[] {
  const seconds = (bytes: number) => bytes / fmt.blockAlign / fmt.sampleRate;
  if (declaredBytes === UNSET_SIZE) {
    return [`WAV data size not set (0xFFFFFFFF): read to the end of the file, ${seconds(frames * fmt.blockAlign).toFixed(1)} s`];
  }
  return declaredBytes > presentBytes ? [truncatedWarning(seconds(frames * fmt.blockAlign), seconds(declaredBytes))] : [];
}

function parseFmt(path: string, body: Uint8Array): FmtChunk {
  const fail = (reason: 'truncated' | 'unsupported-codec', detail: string) =>
    new AudioDecodeError(path, reason, detail);
  if (body.length < 16) throw fail('truncated', `WAV fmt chunk is ${body.length} bytes, needs at least 16`);
  const view = dataView(body);
  let formatTag = view.getUint16(0, true);
  const channels = view.getUint16(2, true);
  const sampleRate = view.getUint32(4, true);
  const blockAlign = view.getUint16(12, true);
  const bitsPerSample = view.getUint16(14, true);

  if (formatTag === WAVE_FORMAT_EXTENSIBLE) {
    if (body.length < 40) throw fail('truncated', `WAV extensible fmt chunk is ${body.length} bytes, needs 40`);
    const guidTail = body.subarray(26, 40);
    if (!SUBTYPE_GUID_TAIL.every((b, i) => guidTail[i] === b)) {
      throw fail('unsupported-codec', 'WAV extensible sub-format is not PCM or IEEE float');
    }
    formatTag = view.getUint16(24, true);
  }
  if (formatTag !== WAVE_FORMAT_PCM && formatTag !== WAVE_FORMAT_IEEE_FLOAT) {
    const name = FORMAT_TAG_NAMES[formatTag] ?? 'unknown';
    const tag = `0x${formatTag.toString(16).padStart(4, '0')}`;
    throw fail('unsupported-codec', `unsupported WAV encoding ${name} (format tag ${tag}); only PCM and IEEE float`);
  }

  const encoding = formatTag === WAVE_FORMAT_PCM ? 'pcm' : 'float';
  // Samples sit in whole bytes, MSB-aligned: 12-bit PCM is read as 16-bit, 20-bit as 24-bit.
  const bytesPerSample = Math.ceil(bitsPerSample / 8);
  const supported = encoding === 'pcm' ? [1, 2, 3, 4] : [4, 8];
  if (!supported.includes(bytesPerSample)) {
    throw fail('unsupported-codec', `unsupported WAV sample size: ${bitsPerSample}-bit ${encoding}`);
  }
  if (channels === 0 || sampleRate === 0) {
    throw fail('unsupported-codec', `WAV fmt chunk declares ${channels} channels at ${sampleRate} Hz`);
  }
  if (blockAlign < channels * bytesPerSample) {
    throw fail(
      'unsupported-codec',
      `WAV block align ${blockAlign} is smaller than ${channels} channels × ${bytesPerSample} bytes`,
    );
  }
  return { encoding, bytesPerSample, channels, sampleRate, blockAlign };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type SampleReader = (view: DataView, offset: number) => number;

function sampleReader(layout: Pick<WavLayout, 'encoding' | 'bytesPerSample'>): SampleReader {
  if (layout.encoding === 'float') {
    return layout.bytesPerSample === 4
      ? (v, o) => v.getFloat32(o, true)
      : (v, o) => v.getFloat64(o, true);
  }
  switch (layout.bytesPerSample) {
    case 1:
      return (v, o) => (v.getUint8(o) - 128) / 128;
    case 2:
      return (v, o) => v.getInt16(o, true) / 32768;
    case 3:
      return (v, o) => ((v.getUint8(o + 2) << 24) | (v.getUint8(o + 1) << 16) | (v.getUint8(o) << 8)) / 2147483648;
    default:
      return (v, o) => v.getInt32(o, true) / 2147483648;
  }
}

/** Converts whole frames of raw WAV data to one Float32Array per channel, scaled to [-1, 1). */
export function decodeWavFrames(bytes: Uint8Array, layout: WavLayout): Float32Array[] {
  const frames = Math.floor(bytes.length / layout.blockAlign);
  const channels = Array.from({ length: layout.channels }, () => new Float32Array(frames));
  // 16-bit PCM, nearly every recording: reading it as Int16Array (on little-endian hosts, where the
  // bytes are already in order) costs a third of a DataView call per sample.
  if (LITTLE_ENDIAN && layout.encoding === 'pcm' && layout.bytesPerSample === 2 && bytes.byteOffset % 2 === 0) {
    const stride = layout.blockAlign / 2;
    if (Number.isInteger(stride)) {
      const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, frames * stride);
      for (let c = 0; c < layout.channels; c++) {
        const out = channels[c];
        for (let f = 0, i = c; f < frames; f++, i += stride) out[f] = pcm[i] / 32768;
      }
      return channels;
    }
  }
  const view = dataView(bytes);
  const read = sampleReader(layout);
  for (let c = 0; c < layout.channels; c++) {
    const out = channels[c];
    for (let f = 0, offset = c * layout.bytesPerSample; f < frames; f++, offset += layout.blockAlign) {
      out[f] = read(view, offset);
    }
  }
  return channels;
}

/** Detection has seen the RIFF/RF64 WAVE magic (looksLikeWav); the recording view reads the layout in place (wav-signal.ts). */
export const wavReader: FormatReader<WavLayout> = {
  async probe(file) {
    const layout = await parseWavHeader(file);
    const { sampleRate, channels } = layout;
    return { info: { format: 'wav', sampleRate, channels, durationSec: layout.frames / sampleRate }, warnings: layout.warnings, layout };
  },
  /** About READ_BYTES at a time. */
  async *blocks(file, { layout }) {
    const chunkBytes = Math.max(1, Math.floor(READ_BYTES / layout.blockAlign)) * layout.blockAlign;
    const end = layout.dataOffset + layout.frames * layout.blockAlign;
    for await (const bytes of file.chunks(layout.dataOffset, end, chunkBytes)) {
      yield { channels: decodeWavFrames(bytes, layout), sampleRate: layout.sampleRate };
    }
  },
};
