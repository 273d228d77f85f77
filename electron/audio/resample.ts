import libsamplerate from '@alexanderolsen/libsamplerate-js';

/**
 * libsamplerate's sinc converters. Measured on a 2-core dev VM, 48 kHz → 22.05 kHz mono:
 * best ≈ 7.3 s per minute of audio (flat to 10.5 kHz, ~150 dB stop band), medium ≈ 1.5-1.8 s per
 * minute (flat to ~9 kHz, -3 dB at 10 kHz, ~120 dB stop band). Best would add ~15 minutes to a
 * 2-hour recording, so medium is the default.
 */
export type ResampleQuality = 'best' | 'medium' | 'fastest';
export const DEFAULT_RESAMPLE_QUALITY: ResampleQuality = 'medium';

/** libsamplerate-js rejects rates outside 1..192000 Hz. */
export const MAX_RESAMPLE_RATE = 192_000;

type Converter = Awaited<ReturnType<typeof libsamplerate.create>>;
type ConverterType = Converter['converterType'];

const CONVERTER: Readonly<Record<ResampleQuality, ConverterType>> = {
  best: libsamplerate.ConverterType.SRC_SINC_BEST_QUALITY,
  medium: libsamplerate.ConverterType.SRC_SINC_MEDIUM_QUALITY,
  fastest: libsamplerate.ConverterType.SRC_SINC_FASTEST,
};

export interface ResampleOptions {
  quality?: ResampleQuality;
}

/** A stateful mono resampler: feed consecutive chunks, then end() once. */
export interface StreamResampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Output for this chunk; it lags the input by the filter's delay until end() flushes it. */
  push(chunk: Float32Array): Float32Array;
  /** The remaining output, making the total round(inputSamples × outputRate / inputRate); then releases. */
  end(): Float32Array;
  /** Releases the converter without flushing (an abandoned stream). Safe to call more than once. */
  dispose(): void;
}

/**
 * Each libsamplerate-js converter is its own wasm instance, which takes ~25 ms to compile; a small
 * pool of reset converters saves that per file when a data set's files share one rate.
 */
const idleConverters: Converter[] = [];
const MAX_IDLE_CONVERTERS = 2;

async function acquireConverter(inputRate: number, outputRate: number, converterType: ConverterType): Promise<Converter> {
  const index = idleConverters.findIndex(
    (c) => c.inputSampleRate === inputRate && c.outputSampleRate === outputRate && c.converterType === converterType,
  );
  if (index >= 0) return idleConverters.splice(index, 1)[0];
  return libsamplerate.create(1, inputRate, outputRate, { converterType });
}

function releaseConverter(converter: Converter): void {
  // Assigning a setting re-creates libsamplerate's state (src_delete + src_new): the wrapper's only reset.
  const converterType = converter.converterType;
  converter.converterType = converterType;
  idleConverters.push(converter);
  if (idleConverters.length > MAX_IDLE_CONVERTERS) idleConverters.shift()?.destroy();
}

function checkRate(name: string, rate: number): void {
  if (!Number.isInteger(rate) || rate < 1 || rate > MAX_RESAMPLE_RATE) {
    throw new RangeError(`${name} must be an integer from 1 to ${MAX_RESAMPLE_RATE} Hz, got ${rate}`);
  }
}

export async function createResampler(
  inputRate: number,
  outputRate: number,
  options: ResampleOptions = {},
): Promise<StreamResampler> {
  checkRate('inputRate', inputRate);
  checkRate('outputRate', outputRate);
  if (inputRate === outputRate) return identityResampler(inputRate);
  const converterType = CONVERTER[options.quality ?? DEFAULT_RESAMPLE_QUALITY];
  const converter = await acquireConverter(inputRate, outputRate, converterType);
  return new SincResampler(converter, inputRate, outputRate);
}

function identityResampler(rate: number): StreamResampler {
  return {
    inputRate: rate,
    outputRate: rate,
    push: (chunk) => chunk,
    end: () => new Float32Array(0),
    dispose: () => {},
  };
}

class SincResampler implements StreamResampler {
  private inputSamples = 0;
  private outputSamples = 0;
  private converter: Converter | undefined;

  constructor(
    converter: Converter,
    readonly inputRate: number,
    readonly outputRate: number,
  ) {
    this.converter = converter;
  }

  push(chunk: Float32Array): Float32Array {
    if (!this.converter) throw new Error('resampler already ended');
    this.inputSamples += chunk.length;
    const out = chunk.length ? this.converter.full(chunk) : new Float32Array(0);
    this.outputSamples += out.length;
    return out;
  }

  end(): Float32Array {
    const converter = this.converter;
    if (!converter) throw new Error('resampler already ended');
    const total = Math.round((this.inputSamples * this.outputRate) / this.inputRate);
    // The wasm wrapper never sets libsamplerate's end_of_input, so the filter's tail is pushed out
    // with silence, which is what end_of_input does internally, and the excess is cut off.
    const silence = new Float32Array(Math.ceil(this.inputRate / 10));
    const tail: Float32Array[] = [];
    let missing = total - this.outputSamples;
    for (let rounds = 0; missing > 0; rounds++) {
      if (rounds === 100) throw new Error(`libsamplerate withheld more than 10 s of output (${missing} samples)`);
      const out = converter.full(silence);
      tail.push(out.subarray(0, Math.min(out.length, missing)));
      missing -= out.length;
    }
    this.dispose();
    return concat(tail);
  }

  dispose(): void {
    if (this.converter) releaseConverter(this.converter);
    this.converter = undefined;
  }
}

/** Joins chunks; a single non-empty chunk is returned as is, uncopied. */
export function concat(chunks: readonly Float32Array[]): Float32Array {
  const parts = chunks.filter((c) => c.length > 0);
  if (parts.length === 1) return parts[0];
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** One-shot resampling of a whole mono signal; returns the input itself when the rates match. */
export async function resample(
  samples: Float32Array,
  inputRate: number,
  outputRate: number,
  options: ResampleOptions = {},
): Promise<Float32Array> {
  const resampler = await createResampler(inputRate, outputRate, options);
  try {
    return concat([resampler.push(samples), resampler.end()]);
  } finally {
    resampler.dispose();
  }
}
