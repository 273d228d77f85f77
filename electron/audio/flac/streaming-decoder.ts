/** Our FLAC decoder behind the StreamingDecoder interface the decode front door uses for every compressed format. */
import type { DecodedBlock, StreamingDecoder } from '../formats/compressed.ts';
import { FlacStreamDecoder, type FlacBlock } from './stream-decoder.ts';

export function createFlacStreamingDecoder(): StreamingDecoder {
  const decoder = new FlacStreamDecoder();
  return {
    decode: async (bytes) => toFloat(decoder.push(bytes)),
    flush: async () => toFloat(decoder.end()),
    free: () => {},
    get firstError() {
      return decoder.error?.message;
    },
    // Decoding stops at the first broken frame, so there is never more than one.
    get errorCount() {
      return decoder.error ? 1 : 0;
    },
  };
}

/** Concatenates frames into planar floats scaled by 2^(bits - 1), as WAV reading (and libsndfile) scale. */
function toFloat(frames: FlacBlock[]): DecodedBlock {
  if (frames.length === 0) return { channelData: [], samplesDecoded: 0, sampleRate: 0 };
  const channels = frames[0].channels.length;
  const total = frames.reduce((sum, frame) => sum + frame.channels[0].length, 0);
  const channelData = Array.from({ length: channels }, () => new Float32Array(total));
  let offset = 0;
  for (const frame of frames) {
    const scale = 1 / 2 ** (frame.bitsPerSample - 1);
    for (let c = 0; c < channels; c++) {
      const source = frame.channels[c] ?? frame.channels[0];
      const target = channelData[c];
      for (let i = 0; i < source.length; i++) target[offset + i] = source[i] * scale;
    }
    offset += frame.channels[0].length;
  }
  return { channelData, samplesDecoded: total, sampleRate: frames[frames.length - 1].sampleRate };
}
