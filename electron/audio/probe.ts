import type { AudioFile } from './audio-file.ts';
import { ascii, dataView } from './bytes.ts';
import { AudioDecodeError } from './errors.ts';
import { looksLikeWav, parseWavHeader, type WavLayout } from './wav.ts';

export type AudioFormat = 'wav' | 'flac' | 'mp3' | 'ogg-vorbis' | 'ogg-opus';

/** What a file holds, read from its headers without decoding. */
export interface AudioInfo {
  format: AudioFormat;
  /** The rate the decoder outputs: the stream's own rate, except Opus, which always decodes at 48 kHz. */
  sampleRate: number;
  channels: number;
  /** Present when the headers state it (WAV, FLAC STREAMINFO, Ogg granule, MP3 Xing/Info frame). */
  durationSec?: number;
}

export interface ProbeResult {
  info: AudioInfo;
  /** Byte range to feed the decoder: after any ID3v2 tag, and up to the last complete Ogg page. */
  audioStart: number;
  audioEnd: number;
  /** Set for WAV, which we parse ourselves. */
  wav?: WavLayout;
  /** What the headers show is wrong while the audio is still readable (a data size the file does not hold, a missing last page). */
  warnings: string[];
}

/** How much of the file's start (and, for Ogg, its end) probing looks at. */
const PROBE_BYTES = 64 * 1024;
const OPUS_RATE = 48000;

/** Identifies the format from magic bytes (never the extension) and reads its basic parameters. */
export async function probeFile(file: AudioFile): Promise<ProbeResult> {
  if (file.size === 0) throw new AudioDecodeError(file.path, 'empty', 'file is empty (0 bytes)');
  const head = await file.read(0, PROBE_BYTES);
  if (looksLikeWav(head)) {
    const wav = await parseWavHeader(file);
    const { sampleRate, channels } = wav;
    const info: AudioInfo = { format: 'wav', sampleRate, channels, durationSec: wav.frames / sampleRate };
    return { info, audioStart: 0, audioEnd: file.size, wav, warnings: wav.warnings };
  }
  if (ascii(head, 0, 4) === 'RIFX') throw unsupported(file, 'big-endian (RIFX) WAV');
  if (ascii(head, 0, 4) === 'OggS') return probeOgg(file, head);

  let audioStart = 0;
  let body = head;
  if (ascii(head, 0, 3) === 'ID3') {
    audioStart = id3v2Length(file, head);
    body = await file.read(audioStart, PROBE_BYTES);
    // Some taggers pad past the declared tag size with zeros.
    const padding = body.findIndex((b) => b !== 0);
    if (padding > 0) {
      audioStart += padding;
      body = body.subarray(padding);
    }
  }
  if (ascii(body, 0, 4) === 'fLaC') return { info: probeFlac(file, body, audioStart), audioStart, audioEnd: file.size, warnings: [] };
  const mpeg = probeMpeg(file, body);
  if (mpeg) return { info: mpeg, audioStart, audioEnd: file.size, warnings: [] };
  throw notRecognised(file, head);
}

function unsupported(file: AudioFile, what: string): AudioDecodeError {
  return new AudioDecodeError(file.path, 'unsupported-codec', `unsupported audio format: ${what}`);
}

function truncated(file: AudioFile, what: string, needed: number): AudioDecodeError {
  return new AudioDecodeError(file.path, 'truncated', `truncated ${what} header (${file.size} of ${needed} bytes)`);
}

/** Audio containers we recognise but cannot decode get 'unsupported-codec'; anything else is 'not-audio'. */
function notRecognised(file: AudioFile, head: Uint8Array): AudioDecodeError {
  if (ascii(head, 4, 4) === 'ftyp') return unsupported(file, 'MP4/M4A container (AAC or ALAC)');
  if (ascii(head, 0, 4) === 'FORM' && ['AIFF', 'AIFC'].includes(ascii(head, 8, 4))) return unsupported(file, 'AIFF');
  if (ascii(head, 0, 4) === 'caff') return unsupported(file, 'Core Audio (CAF)');
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    return unsupported(file, 'Matroska/WebM container');
  }
  if (head[0] === 0x30 && head[1] === 0x26 && head[2] === 0xb2 && head[3] === 0x75) return unsupported(file, 'WMA/ASF');
  // ADTS AAC shares MPEG audio's frame sync but has layer bits 00.
  if (head[0] === 0xff && (head[1] & 0xf6) === 0xf0) return unsupported(file, 'AAC (ADTS)');

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
  if (head.length < 10) throw truncated(file, 'ID3', 10);
  const size = ((head[6] & 0x7f) << 21) | ((head[7] & 0x7f) << 14) | ((head[8] & 0x7f) << 7) | (head[9] & 0x7f);
  const footer = head[5] & 0x10 ? 10 : 0;
  const length = 10 + size + footer;
  if (length >= file.size) throw truncated(file, 'ID3', length + 1);
  return length;
}

/** "fLaC" + metadata block header (4) + STREAMINFO (34). */
const FLAC_HEADER_BYTES = 42;

function probeFlac(file: AudioFile, body: Uint8Array, audioStart: number): AudioInfo {
  if (body.length < FLAC_HEADER_BYTES) throw truncated(file, 'FLAC', audioStart + FLAC_HEADER_BYTES);
  if ((body[4] & 0x7f) !== 0) {
    throw new AudioDecodeError(file.path, 'not-audio', 'FLAC stream does not start with a STREAMINFO block');
  }
  const info = dataView(body.subarray(8, FLAC_HEADER_BYTES));
  // STREAMINFO bytes 10..17: sample rate (20 bits), channels - 1 (3), bits - 1 (5), total samples (36).
  const packed = info.getBigUint64(10, false);
  const sampleRate = Number(packed >> 44n);
  const channels = Number((packed >> 41n) & 7n) + 1;
  const totalSamples = Number(packed & 0xfffffffffn);
  if (sampleRate === 0) throw new AudioDecodeError(file.path, 'not-audio', 'FLAC STREAMINFO declares 0 Hz');
  return {
    format: 'flac',
    sampleRate,
    channels,
    ...(totalSamples > 0 ? { durationSec: totalSamples / sampleRate } : {}),
  };
}

// MPEG audio frame header tables, indexed by the header's bit fields.
const MPEG_RATES: Readonly<Record<number, readonly number[]>> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};
// kbit/s by [MPEG-1 ? 0 : 1][layer 1..3][index]
const MPEG_BITRATES: readonly (readonly (readonly number[])[])[] = [
  [
    [],
    [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],
    [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  ],
  [
    [],
    [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
    [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
  ],
];

interface MpegFrame {
  sampleRate: number;
  channels: number;
  /** Bytes in this frame, or 0 for free-format streams. */
  length: number;
  samplesPerFrame: number;
  /** Offset of a Xing/Info tag inside a Layer III frame. */
  xingOffset: number;
}

function parseMpegFrameHeader(b: Uint8Array, at: number): MpegFrame | undefined {
  if (at + 4 > b.length || b[at] !== 0xff || (b[at + 1] & 0xe0) !== 0xe0) return undefined;
  const version = (b[at + 1] >> 3) & 3; // 3 MPEG-1, 2 MPEG-2, 0 MPEG-2.5, 1 reserved
  const layer = 4 - ((b[at + 1] >> 1) & 3); // bits 00 are reserved (and ADTS AAC)
  const bitrateIndex = b[at + 2] >> 4;
  const rateIndex = (b[at + 2] >> 2) & 3;
  if (version === 1 || layer === 4 || bitrateIndex === 15 || rateIndex === 3) return undefined;
  const sampleRate = MPEG_RATES[version][rateIndex];
  const mpeg1 = version === 3;
  const padding = (b[at + 2] >> 1) & 1;
  const mono = b[at + 3] >> 6 === 3;
  const bitrate = MPEG_BITRATES[mpeg1 ? 0 : 1][layer][bitrateIndex] * 1000;
  const samplesPerFrame = layer === 1 ? 384 : layer === 3 && !mpeg1 ? 576 : 1152;
  const length =
    bitrate === 0
      ? 0
      : layer === 1
        ? (Math.floor((12 * bitrate) / sampleRate) + padding) * 4
        : Math.floor((samplesPerFrame / 8) * bitrate / sampleRate) + padding;
  const sideInfo = mpeg1 ? (mono ? 17 : 32) : mono ? 9 : 17;
  return { sampleRate, channels: mono ? 1 : 2, length, samplesPerFrame, xingOffset: at + 4 + sideInfo };
}

/** MPEG audio (Layer I/II/III) needs a valid frame header at the start, and a second one right after it. */
function probeMpeg(file: AudioFile, body: Uint8Array): AudioInfo | undefined {
  const frame = parseMpegFrameHeader(body, 0);
  if (!frame) return undefined;
  const next = frame.length;
  if (next > 0 && next + 4 <= body.length && !parseMpegFrameHeader(body, next)) return undefined;
  return { format: 'mp3', sampleRate: frame.sampleRate, channels: frame.channels, ...xingDuration(body, frame) };
}

/**
 * The frame count from a Xing/Info tag (written by LAME and ffmpeg) gives the duration without a
 * scan; the LAME extension after it says how many encoder delay and padding samples to discount,
 * as the gapless decoder does.
 */
function xingDuration(body: Uint8Array, frame: MpegFrame): { durationSec?: number } {
  const at = frame.xingOffset;
  const tag = ascii(body, at, 4);
  if ((tag !== 'Xing' && tag !== 'Info') || at + 12 > body.length) return {};
  const v = dataView(body);
  const flags = v.getUint32(at + 4, false);
  if ((flags & 1) === 0) return {};
  let samples = v.getUint32(at + 8, false) * frame.samplesPerFrame;
  // Optional fields after the flags: frames (4), bytes (4), seek table (100), quality (4).
  const lame = at + 8 + (flags & 1 ? 4 : 0) + (flags & 2 ? 4 : 0) + (flags & 4 ? 100 : 0) + (flags & 8 ? 4 : 0);
  // 9-byte encoder name, 12 bytes of levels and flags, then 12-bit delay and 12-bit padding.
  if (lame + 24 <= body.length && ['LAME', 'Lavc', 'Lavf'].includes(ascii(body, lame, 4))) {
    const delay = (body[lame + 21] << 4) | (body[lame + 22] >> 4);
    const padding = ((body[lame + 22] & 0x0f) << 8) | body[lame + 23];
    samples = Math.max(0, samples - delay - padding);
  }
  return { durationSec: samples / frame.sampleRate };
}

/** Ogg page header size before its segment table. */
const OGG_PAGE_HEADER = 27;
/** The header-type flag of a logical stream's last page. */
const OGG_END_OF_STREAM = 0x04;

async function probeOgg(file: AudioFile, head: Uint8Array): Promise<ProbeResult> {
  if (head.length < OGG_PAGE_HEADER) throw truncated(file, 'Ogg', OGG_PAGE_HEADER);
  const segments = head[26];
  const packetStart = OGG_PAGE_HEADER + segments;
  if (head.length < packetStart) throw truncated(file, 'Ogg', packetStart);
  let firstPacketLength = 0;
  for (let i = 0; i < segments; i++) {
    firstPacketLength += head[OGG_PAGE_HEADER + i];
    if (head[OGG_PAGE_HEADER + i] < 255) break;
  }
  const packetEnd = packetStart + firstPacketLength;
  if (head.length < packetEnd) throw truncated(file, 'Ogg', packetEnd);
  const packet = head.subarray(packetStart, packetEnd);
  const serial = dataView(head).getUint32(14, true);

  if (ascii(packet, 0, 8) === 'OpusHead' && packet.length >= 19) {
    const preSkip = dataView(packet).getUint16(10, true);
    const tail = await scanOggTail(file, serial);
    const info: AudioInfo = { format: 'ogg-opus', sampleRate: OPUS_RATE, channels: packet[9] };
    if (tail.lastGranule !== undefined) info.durationSec = Math.max(0, tail.lastGranule - preSkip) / OPUS_RATE;
    return { info, audioStart: 0, audioEnd: tail.completeEnd, warnings: oggTailWarnings(tail, info) };
  }
  if (packet[0] === 1 && ascii(packet, 1, 6) === 'vorbis' && packet.length >= 30) {
    const sampleRate = dataView(packet).getUint32(12, true);
    const tail = await scanOggTail(file, serial);
    const info: AudioInfo = { format: 'ogg-vorbis', sampleRate, channels: packet[11] };
    if (tail.lastGranule !== undefined && sampleRate > 0) info.durationSec = tail.lastGranule / sampleRate;
    return { info, audioStart: 0, audioEnd: tail.completeEnd, warnings: oggTailWarnings(tail, info) };
  }
  const codec = ascii(packet, 0, 8).replace(/[^\x20-\x7e]/g, '').trim() || 'unknown';
  throw unsupported(file, `Ogg stream with codec '${codec}' (only Vorbis and Opus)`);
}

interface OggTail {
  /** End of the last complete page: a truncated last page is left out, as the decoders' flush turns it into noise. */
  completeEnd: number;
  /** Granule position (samples at the codec's rate) of the stream's last complete page that has one. */
  lastGranule?: number;
  /** Whether the last complete page is flagged end-of-stream, as every finished Ogg file's is. */
  ended: boolean;
}

/** The granule duration is that of the last page present, so a cut Ogg shows only by its missing end-of-stream page. */
function oggTailWarnings(tail: OggTail, info: AudioInfo): string[] {
  if (tail.ended) return [];
  const present = info.durationSec === undefined ? '' : `: ${info.durationSec.toFixed(1)} s read`;
  return [`truncated: the Ogg stream has no end-of-stream page${present}`];
}

/** Reads the file's last 64 KiB, which always holds the start of the last page (a page is at most 65,307 bytes). */
async function scanOggTail(file: AudioFile, serial: number): Promise<OggTail> {
  const tailStart = Math.max(0, file.size - PROBE_BYTES);
  const tail = await file.read(tailStart, PROBE_BYTES);
  const v = dataView(tail);
  let completeEnd: number | undefined;
  let lastGranule: number | undefined;
  let ended = false;
  for (let at = tail.length - OGG_PAGE_HEADER; at >= 0 && lastGranule === undefined; at--) {
    if (tail[at] !== 0x4f || ascii(tail, at, 4) !== 'OggS' || tail[at + 4] !== 0) continue;
    const segments = tail[at + 26];
    let end = at + OGG_PAGE_HEADER + segments;
    for (let i = 0; i < segments && end <= tail.length; i++) end += tail[at + OGG_PAGE_HEADER + i];
    const complete = end <= tail.length;
    if (completeEnd === undefined && complete) ended = (tail[at + 5] & OGG_END_OF_STREAM) !== 0;
    completeEnd ??= tailStart + (complete ? end : at);
    if (!complete || v.getUint32(at + 14, true) !== serial) continue;
    const granule = v.getBigInt64(at + 6, true);
    if (granule >= 0n) lastGranule = Number(granule); // -1: no packet ends on this page
  }
  return { completeEnd: completeEnd ?? file.size, lastGranule, ended };
}
