/** MPEG audio (Layer I/II/III): frame headers and the Xing/Info tag for the header, mpg123 (wasm) for the frames. */
import { ascii, dataView } from '../bytes.ts';
import { createWasmDecoder } from '../wasm-decoders.ts';
import { compressedReader } from './compressed.ts';
import type { AudioInfo, StreamStart } from './format-reader.ts';

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

export interface MpegFrame {
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

/** The stream's first frame, when it is MPEG audio: a valid frame header at the start, and a second one right after it. */
export function mpegFirstFrame(head: Uint8Array): MpegFrame | undefined {
  const frame = parseMpegFrameHeader(head, 0);
  if (!frame) return undefined;
  const next = frame.length;
  if (next > 0 && next + 4 <= head.length && !parseMpegFrameHeader(head, next)) return undefined;
  return frame;
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

/** The stream start, with the first frame detection found there (mpegFirstFrame). */
export interface MpegStart extends StreamStart {
  frame: MpegFrame;
}

export const mp3Reader = compressedReader<MpegStart>(
  () => createWasmDecoder('mp3'),
  async (file, { offset, head, frame }) => {
    const info: AudioInfo = { format: 'mp3', sampleRate: frame.sampleRate, channels: frame.channels, ...xingDuration(head, frame) };
    return { info, warnings: [], layout: { start: offset, end: file.size } };
  },
);
