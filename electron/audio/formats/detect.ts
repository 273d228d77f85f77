/** Format detection, in one place: magic bytes (never the extension) pick the reader, which probes the headers. */
import type { AudioFile } from '../audio-file.ts';
import { ascii } from '../bytes.ts';
import { AudioDecodeError } from '../errors.ts';
import { flacReader } from './flac.ts';
import type { AudioInfo, FormatReader, PcmBlock, Probed, Warn } from './format-reader.ts';
import { truncatedHeader, unsupportedFormat } from './header-errors.ts';
import { mp3Reader, mpegFirstFrame } from './mp3.ts';
import { oggStart } from './ogg.ts';
import { isOpusHead, oggOpusReader } from './ogg-opus.ts';
import { isVorbisIdentification, oggVorbisReader } from './ogg-vorbis.ts';
import { looksLikeWav, wavReader, type WavLayout } from './wav.ts';

/** A file's stream as its reader probed it, ready to read. */
export interface DetectedStream {
  info: AudioInfo;
  /** What the headers show is wrong while the audio is still readable. */
  warnings: string[];
  /** Set for WAV, which the recording view reads in place (wav-signal.ts). */
  wav?: WavLayout;
  /** All channels at the source rate, a bounded stretch at a time. */
  blocks(file: AudioFile, warn: Warn): AsyncIterable<PcmBlock>;
}

/** How much of the file's start detection looks at. */
const PROBE_BYTES = 64 * 1024;

export async function detectStream(file: AudioFile): Promise<DetectedStream> {
  if (file.size === 0) throw new AudioDecodeError(file.path, 'empty', 'file is empty (0 bytes)');
  const head = await file.read(0, PROBE_BYTES);
  if (looksLikeWav(head)) {
    const probed = await wavReader.probe(file, { offset: 0, head });
    return { ...ready(wavReader, probed), wav: probed.layout };
  }
  if (ascii(head, 0, 4) === 'RIFX') throw unsupportedFormat(file, 'big-endian (RIFX) WAV');
  if (ascii(head, 0, 4) === 'OggS') {
    const start = oggStart(file, head);
    if (isOpusHead(start.packet)) return ready(oggOpusReader, await oggOpusReader.probe(file, start));
    if (isVorbisIdentification(start.packet)) return ready(oggVorbisReader, await oggVorbisReader.probe(file, start));
    const codec = ascii(start.packet, 0, 8).replace(/[^\x20-\x7e]/g, '').trim() || 'unknown';
    throw unsupportedFormat(file, `Ogg stream with codec '${codec}' (only Vorbis and Opus)`);
  }

  let offset = 0;
  let body = head;
  if (ascii(head, 0, 3) === 'ID3') {
    offset = id3v2Length(file, head);
    body = await file.read(offset, PROBE_BYTES);
    // Some taggers pad past the declared tag size with zeros.
    const padding = body.findIndex((b) => b !== 0);
    if (padding > 0) {
      offset += padding;
      body = body.subarray(padding);
    }
  }
  const start = { offset, head: body };
  if (ascii(body, 0, 4) === 'fLaC') return ready(flacReader, await flacReader.probe(file, start));
  const frame = mpegFirstFrame(body);
  if (frame) return ready(mp3Reader, await mp3Reader.probe(file, { ...start, frame }));
  throw notRecognised(file, head);
}

/** Binds a reader to what it probed, so the door reads every format alike. */
function ready<Layout, Start>(reader: FormatReader<Layout, Start>, probed: Probed<Layout>): DetectedStream {
  return { info: probed.info, warnings: probed.warnings, blocks: (file, warn) => reader.blocks(file, probed, warn) };
}

/** Audio containers we recognise but cannot decode get 'unsupported-codec'; anything else is 'not-audio'. */
function notRecognised(file: AudioFile, head: Uint8Array): AudioDecodeError {
  if (ascii(head, 4, 4) === 'ftyp') return unsupportedFormat(file, 'MP4/M4A container (AAC or ALAC)');
  if (ascii(head, 0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(head, 8, 4))) return unsupportedFormat(file, 'AIFF');
  if (ascii(head, 0, 4) === 'caff') return unsupportedFormat(file, 'Core Audio (CAF)');
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    return unsupportedFormat(file, 'Matroska/WebM container');
  }
  if (head[0] === 0x30 && head[1] === 0x26 && head[2] === 0xb2 && head[3] === 0x75) return unsupportedFormat(file, 'WMA/ASF');
  // ADTS AAC shares MPEG audio's frame sync but has layer bits 00.
  if (head[0] === 0xff && (head[1] & 0xf6) === 0xf0) return unsupportedFormat(file, 'AAC (ADTS)');

  const first = head.subarray(0, 8);
  const isText = first.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
  const hex = Array.from(first, (b) => b.toString(16).padStart(2, '0')).join(' ');
  return new AudioDecodeError(
    file.path,
    'not-audio',
    `not a recognised audio file (${isText ? 'looks like text' : 'unknown header'}: ${hex})`,
  );
}

/** Total bytes of an ID3v2 tag: 10-byte header + syncsafe size + optional 10-byte footer. */
function id3v2Length(file: AudioFile, head: Uint8Array): number {
  if (head.length < 10) throw truncatedHeader(file, 'ID3', 10);
  const size = ((head[6] & 0x7f) << 21) | ((head[7] & 0x7f) << 14) | ((head[8] & 0x7f) << 7) | (head[9] & 0x7f);
  const footer = head[5] & 0x10 ? 10 : 0;
  const length = 10 + size + footer;
  if (length >= file.size) throw truncatedHeader(file, 'ID3', length + 1);
  return length;
}
