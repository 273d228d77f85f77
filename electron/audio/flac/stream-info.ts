/** The "fLaC" marker and metadata blocks before the first frame; only STREAMINFO is kept. */
import { OutOfData } from './bit-reader.ts';
import { FlacFormatError } from './errors.ts';

export interface StreamInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  /** 0 when the encoder did not know. */
  totalSamples: number;
}

/** Parses the marker and every metadata block; returns STREAMINFO and the offset of the first frame. */
export function readMetadata(bytes: Uint8Array): { info: StreamInfo; frameStart: number } {
  if (bytes.length < 4) throw new OutOfData();
  if (bytes[0] !== 0x66 || bytes[1] !== 0x4c || bytes[2] !== 0x61 || bytes[3] !== 0x43) {
    throw new FlacFormatError('stream does not start with "fLaC"');
  }
  let offset = 4;
  let info: StreamInfo | undefined;
  for (let last = false; !last; ) {
    if (offset + 4 > bytes.length) throw new OutOfData();
    last = (bytes[offset] & 0x80) !== 0;
    const type = bytes[offset] & 0x7f;
    const length = (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
    const body = offset + 4;
    if (body + length > bytes.length) throw new OutOfData();
    if (type === 0) {
      if (length < 34) throw new FlacFormatError('STREAMINFO block is shorter than 34 bytes');
      info = parseStreamInfo(bytes.subarray(body, body + 34));
    } else if (type === 127) {
      throw new FlacFormatError('invalid metadata block type 127');
    }
    offset = body + length;
  }
  if (!info) throw new FlacFormatError('no STREAMINFO block');
  return { info, frameStart: offset };
}

function parseStreamInfo(block: Uint8Array): StreamInfo {
  const view = new DataView(block.buffer, block.byteOffset, block.length);
  // Bytes 10..17: sample rate (20 bits), channels - 1 (3), bits - 1 (5), total samples (36).
  const packed = view.getBigUint64(10, false);
  return {
    sampleRate: Number(packed >> 44n),
    channels: Number((packed >> 41n) & 7n) + 1,
    bitsPerSample: Number((packed >> 36n) & 31n) + 1,
    totalSamples: Number(packed & 0xfffffffffn),
  };
}
