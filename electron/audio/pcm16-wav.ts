/** Mono 16-bit PCM WAV files: the app's own recordings (live microphone) and the clips it cuts for training. */

const HEADER_BYTES = 44;

/** A sample in [-1, 1] as a 16-bit integer (clipped, rounded to nearest). */
export function toPcm16(x: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(x * 32768)));
}

/** The 44-byte canonical header of a mono 16-bit file with `samples` samples. */
export function pcm16WavHeader(sampleRate: number, samples: number): Buffer {
  const dataBytes = samples * 2;
  const header = Buffer.alloc(HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  return header;
}

/** A whole mono file from float samples in [-1, 1]. */
export function encodePcm16Wav(samples: Float32Array, sampleRate: number): Buffer {
  const out = Buffer.alloc(HEADER_BYTES + samples.length * 2);
  pcm16WavHeader(sampleRate, samples.length).copy(out, 0);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(toPcm16(samples[i]), HEADER_BYTES + i * 2);
  return out;
}
