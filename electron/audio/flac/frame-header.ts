/** A FLAC frame header (RFC 9639 section 9.1), checked against its CRC-8. */
import { BitReader } from './bit-reader.ts';
import { crc8 } from './crc.ts';
import { FlacFormatError } from './errors.ts';
import type { StreamInfo } from './stream-info.ts';

export type ChannelLayout = 'independent' | 'left-side' | 'side-right' | 'mid-side';

export interface FrameHeader {
  blockSize: number;
  sampleRate: number;
  channels: number;
  layout: ChannelLayout;
  bitsPerSample: number;
}

const SAMPLE_RATES = [0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000, 96000];
const SAMPLE_SIZES = [0, 8, 12, 0, 16, 20, 24, 32];

/** Reads the header at the reader's position, which must be byte-aligned on the sync code. */
export function readFrameHeader(reader: BitReader, bytes: Uint8Array, info: StreamInfo): FrameHeader {
  const start = reader.bytePos;
  if (reader.read(15) !== 0x7ffc) throw new FlacFormatError('no frame sync code where a frame should start');
  reader.read(1); // blocking strategy: fixed or variable; the sample number below is not needed to decode
  const sizeCode = reader.read(4);
  const rateCode = reader.read(4);
  const channelCode = reader.read(4);
  const sizeBitsCode = reader.read(3);
  if (reader.read(1) !== 0) throw new FlacFormatError('frame header reserved bit is set');
  skipCodedNumber(reader);
  const blockSize = readBlockSize(reader, sizeCode);
  const sampleRate = readSampleRate(reader, rateCode, info);
  const headerEnd = reader.bytePos;
  if (reader.read(8) !== crc8(bytes, start, headerEnd)) throw new FlacFormatError('frame header CRC-8 mismatch');

  if (channelCode > 10) throw new FlacFormatError(`reserved channel assignment ${channelCode}`);
  const layout: ChannelLayout =
    channelCode < 8 ? 'independent' : channelCode === 8 ? 'left-side' : channelCode === 9 ? 'side-right' : 'mid-side';
  const channels = channelCode < 8 ? channelCode + 1 : 2;
  if (sizeBitsCode === 3) throw new FlacFormatError('reserved sample size code 3');
  const bitsPerSample = sizeBitsCode === 0 ? info.bitsPerSample : SAMPLE_SIZES[sizeBitsCode];
  return { blockSize, sampleRate, channels, layout, bitsPerSample };
}

/** The frame or sample number, coded like UTF-8 in one to seven bytes. */
function skipCodedNumber(reader: BitReader): void {
  const first = reader.read(8);
  if (first < 0x80) return;
  let extra = 0;
  for (let mask = 0x40; first & mask && extra < 7; mask >>= 1) extra++;
  if (extra === 0 || extra > 6) throw new FlacFormatError('malformed frame number');
  for (let i = 0; i < extra; i++) {
    if (reader.read(8) >>> 6 !== 2) throw new FlacFormatError('malformed frame number');
  }
}

function readBlockSize(reader: BitReader, code: number): number {
  if (code === 0) throw new FlacFormatError('reserved block size code 0');
  if (code === 1) return 192;
  if (code <= 5) return 576 << (code - 2);
  if (code === 6) return reader.read(8) + 1;
  if (code === 7) return reader.read(16) + 1;
  return 256 << (code - 8);
}

function readSampleRate(reader: BitReader, code: number, info: StreamInfo): number {
  if (code === 0) return info.sampleRate;
  if (code < 12) return SAMPLE_RATES[code];
  if (code === 12) return reader.read(8) * 1000;
  if (code === 13) return reader.read(16);
  if (code === 14) return reader.read(16) * 10;
  throw new FlacFormatError('invalid sample rate code 15');
}
