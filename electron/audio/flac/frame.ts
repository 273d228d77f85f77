/** One whole FLAC frame: header, a subframe per channel, stereo decorrelation, CRC-16. */
import { BitReader } from './bit-reader.ts';
import { crc16 } from './crc.ts';
import { FlacFormatError } from './errors.ts';
import { readFrameHeader, type FrameHeader } from './frame-header.ts';
import type { StreamInfo } from './stream-info.ts';
import { readSubframe } from './subframe.ts';

export interface DecodedFrame {
  header: FrameHeader;
  /** One array per channel, blockSize integer samples each. */
  channels: Int32Array[];
  /** Offset just past the frame's CRC-16. */
  end: number;
}

/** Decodes the frame starting at bytes[start]; throws OutOfData when the bytes end inside it. */
export function decodeFrame(bytes: Uint8Array, start: number, info: StreamInfo): DecodedFrame {
  const reader = new BitReader(bytes, start);
  const header = readFrameHeader(reader, bytes, info);
  const { blockSize, bitsPerSample, layout } = header;
  const channels: Int32Array[] = [];
  for (let c = 0; c < header.channels; c++) {
    // The side channel carries one bit more than the others.
    const side = (layout === 'left-side' && c === 1) || (layout === 'side-right' && c === 0) || (layout === 'mid-side' && c === 1);
    const samples = new Int32Array(blockSize);
    readSubframe(reader, blockSize, bitsPerSample + (side ? 1 : 0), samples);
    channels.push(samples);
  }
  reader.alignToByte();
  const crcStart = reader.bytePos;
  if (reader.read(16) !== crc16(bytes, start, crcStart)) throw new FlacFormatError('frame CRC-16 mismatch');
  decorrelate(layout, channels, blockSize);
  return { header, channels, end: reader.bytePos };
}

function decorrelate(layout: FrameHeader['layout'], channels: Int32Array[], n: number): void {
  if (layout === 'independent') return;
  const [a, b] = channels;
  if (layout === 'left-side') {
    for (let i = 0; i < n; i++) b[i] = a[i] - b[i];
  } else if (layout === 'side-right') {
    for (let i = 0; i < n; i++) a[i] += b[i];
  } else {
    for (let i = 0; i < n; i++) {
      const side = b[i];
      const mid = a[i] * 2 + (side & 1);
      a[i] = (mid + side) >> 1;
      b[i] = (mid - side) >> 1;
    }
  }
}
