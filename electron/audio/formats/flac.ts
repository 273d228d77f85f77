/** FLAC: STREAMINFO for the header, our own decoder (flac/) for the frames. */
import { dataView } from '../bytes.ts';
import { AudioDecodeError } from '../errors.ts';
import { createFlacStreamingDecoder } from '../flac/streaming-decoder.ts';
import { compressedReader } from './compressed.ts';
import { truncatedHeader } from './header-errors.ts';

/** "fLaC" + metadata block header (4) + STREAMINFO (34). */
const FLAC_HEADER_BYTES = 42;

export const flacReader = compressedReader(createFlacStreamingDecoder, async (file, { offset, head }) => {
  if (head.length < FLAC_HEADER_BYTES) throw truncatedHeader(file, 'FLAC', offset + FLAC_HEADER_BYTES);
  if ((head[4] & 0x7f) !== 0) {
    throw new AudioDecodeError(file.path, 'not-audio', 'FLAC stream does not start with a STREAMINFO block');
  }
  const streamInfo = dataView(head.subarray(8, FLAC_HEADER_BYTES));
  // STREAMINFO bytes 10..17: sample rate (20 bits), channels - 1 (3), bits - 1 (5), total samples (36).
  const packed = streamInfo.getBigUint64(10, false);
  const sampleRate = Number(packed >> 44n);
  const channels = Number((packed >> 41n) & 7n) + 1;
  const totalSamples = Number(packed & 0xfffffffffn);
  if (sampleRate === 0) throw new AudioDecodeError(file.path, 'not-audio', 'FLAC STREAMINFO declares 0 Hz');
  const info = {
    format: 'flac' as const,
    sampleRate,
    channels,
    ...(totalSamples > 0 ? { durationSec: totalSamples / sampleRate } : {}),
  };
  return { info, warnings: [], layout: { start: offset, end: file.size } };
});
