/** A tiny WAV writer for test fixtures: every sample encoding and header variant the decoder must read. */

export type WavSampleFormat = 'pcm8' | 'pcm16' | 'pcm24' | 'pcm32' | 'float32' | 'float64';

export interface WavHeaderSpec {
  sampleRate: number;
  format: WavSampleFormat;
  channelCount: number;
  /** Bytes of sample data that follow the header. */
  dataBytes: number;
  /** Write WAVE_FORMAT_EXTENSIBLE (fmt chunk of 40 bytes with a sub-format GUID). */
  extensible?: boolean;
  /** Write an RF64 header with a ds64 chunk holding the sizes. */
  rf64?: boolean;
  /** Override the format tag (e.g. 2 for ADPCM, 6 for A-law) to test rejection. */
  formatTag?: number;
  /** The data chunk size to declare, when it should differ from dataBytes (e.g. larger than the file). */
  declaredDataBytes?: number;
  /** Chunks to place between fmt and data, which a reader must skip (odd sizes get a pad byte). */
  extraChunks?: { id: string; body: Uint8Array }[];
}

export interface WavSpec extends Omit<WavHeaderSpec, 'channelCount' | 'dataBytes'> {
  /** One array per channel, equal lengths, values in [-1, 1]. */
  channels: Float32Array[];
}

const BYTES: Record<WavSampleFormat, number> = { pcm8: 1, pcm16: 2, pcm24: 3, pcm32: 4, float32: 4, float64: 8 };
/** Integer full scale of each PCM format: a sample q decodes to q / scale. */
const PCM_SCALE: Partial<Record<WavSampleFormat, number>> = {
  pcm8: 128,
  pcm16: 32768,
  pcm24: 8388608,
  pcm32: 2147483648,
};

export function bytesPerSample(format: WavSampleFormat): number {
  return BYTES[format];
}

/** The value a correct decoder returns for x written in `format`. */
export function quantise(x: number, format: WavSampleFormat): number {
  const scale = PCM_SCALE[format];
  if (scale === undefined) return format === 'float32' ? Math.fround(x) : x;
  return Math.max(-scale, Math.min(scale - 1, Math.round(x * scale))) / scale;
}

function writeAscii(view: DataView, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
}

export function wavHeader(spec: WavHeaderSpec): Uint8Array {
  const bytes = BYTES[spec.format];
  const isFloat = spec.format.startsWith('float');
  const tag = spec.formatTag ?? (isFloat ? 3 : 1);
  const fmtSize = spec.extensible ? 40 : 16;
  const extras = spec.extraChunks ?? [];
  const extrasSize = extras.reduce((n, c) => n + 8 + c.body.length + (c.body.length & 1), 0);
  const ds64Size = spec.rf64 ? 8 + 28 : 0;
  const headerSize = 12 + ds64Size + 8 + fmtSize + extrasSize + 8;
  const declared = spec.declaredDataBytes ?? spec.dataBytes;
  const out = new Uint8Array(headerSize);
  const view = new DataView(out.buffer);

  writeAscii(view, 0, spec.rf64 ? 'RF64' : 'RIFF');
  view.setUint32(4, spec.rf64 ? 0xffffffff : Math.min(0xffffffff, headerSize - 8 + declared), true);
  writeAscii(view, 8, 'WAVE');
  let at = 12;
  if (spec.rf64) {
    writeAscii(view, at, 'ds64');
    view.setUint32(at + 4, 28, true);
    view.setBigUint64(at + 8, BigInt(headerSize - 8 + declared), true);
    view.setBigUint64(at + 16, BigInt(declared), true);
    view.setBigUint64(at + 24, BigInt(Math.floor(spec.dataBytes / (bytes * spec.channelCount))), true);
    view.setUint32(at + 32, 0, true);
    at += ds64Size;
  }
  writeAscii(view, at, 'fmt ');
  view.setUint32(at + 4, fmtSize, true);
  view.setUint16(at + 8, spec.extensible ? 0xfffe : tag, true);
  view.setUint16(at + 10, spec.channelCount, true);
  view.setUint32(at + 12, spec.sampleRate, true);
  view.setUint32(at + 16, spec.sampleRate * bytes * spec.channelCount, true);
  view.setUint16(at + 20, bytes * spec.channelCount, true);
  view.setUint16(at + 22, bytes * 8, true);
  if (spec.extensible) {
    view.setUint16(at + 24, 22, true); // cbSize
    view.setUint16(at + 26, bytes * 8, true); // valid bits
    view.setUint32(at + 28, 0, true); // channel mask: unspecified
    // KSDATAFORMAT_SUBTYPE_{PCM,IEEE_FLOAT}: the format tag followed by a fixed GUID tail.
    view.setUint16(at + 32, tag, true);
    out.set([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], at + 34);
  }
  at += 8 + fmtSize;
  for (const chunk of extras) {
    writeAscii(view, at, chunk.id);
    view.setUint32(at + 4, chunk.body.length, true);
    out.set(chunk.body, at + 8);
    at += 8 + chunk.body.length + (chunk.body.length & 1);
  }
  writeAscii(view, at, 'data');
  view.setUint32(at + 4, spec.rf64 ? 0xffffffff : declared, true);
  return out;
}

/** Interleaves and encodes planar samples. */
export function encodeSamples(channels: readonly Float32Array[], format: WavSampleFormat): Uint8Array {
  const bytes = BYTES[format];
  const frames = channels[0].length;
  const out = new Uint8Array(frames * channels.length * bytes);
  const view = new DataView(out.buffer);
  const scale = PCM_SCALE[format] ?? 1;
  for (let f = 0, at = 0; f < frames; f++) {
    for (const channel of channels) {
      const x = channel[f];
      const q = Math.round(quantise(x, format) * scale);
      switch (format) {
        case 'pcm8':
          view.setUint8(at, q + 128);
          break;
        case 'pcm16':
          view.setInt16(at, q, true);
          break;
        case 'pcm24':
          view.setUint8(at, q & 0xff);
          view.setUint8(at + 1, (q >> 8) & 0xff);
          view.setUint8(at + 2, (q >> 16) & 0xff);
          break;
        case 'pcm32':
          view.setInt32(at, q, true);
          break;
        case 'float32':
          view.setFloat32(at, x, true);
          break;
        case 'float64':
          view.setFloat64(at, x, true);
          break;
      }
      at += bytes;
    }
  }
  return out;
}

/** A complete WAV file. */
export function encodeWav(spec: WavSpec): Uint8Array {
  const data = encodeSamples(spec.channels, spec.format);
  const header = wavHeader({ ...spec, channelCount: spec.channels.length, dataBytes: data.length });
  const out = new Uint8Array(header.length + data.length);
  out.set(header);
  out.set(data, header.length);
  return out;
}

/** A sine of `seconds` at `freq` Hz, amplitude `amp`, starting at phase 0. */
export function sine(freq: number, sampleRate: number, seconds: number, amp = 0.5): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / sampleRate);
  return out;
}

/**
 * A voice-like signal the voice-activity detector takes for speech: ten harmonics of f0 (a peaky
 * spectrum) in syllables (see inSyllables).
 */
export function voiced(f0: number, sampleRate: number, seconds: number, amp = 0.3): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < out.length; i++) {
    const t = i / sampleRate;
    let v = 0;
    for (let h = 1; h <= 10; h++) v += Math.sin(2 * Math.PI * h * f0 * t) / h;
    out[i] = (amp / 2) * v;
  }
  return inSyllables(out, sampleRate);
}

/**
 * The signal cut into syllables, in place: 0.4 s rising and falling, then 0.1 s of silence, twice a
 * second. Level that moves like this is what tells speech from a steady tone or hum.
 */
export function inSyllables(samples: Float32Array, sampleRate: number): Float32Array {
  for (let i = 0; i < samples.length; i++) {
    const inSyllable = (i / sampleRate) % 0.5;
    samples[i] *= inSyllable < 0.4 ? Math.sin((Math.PI * inSyllable) / 0.4) : 0;
  }
  return samples;
}
