/**
 * Band-limited sample-rate conversion: a polyphase Kaiser-windowed sinc (the design of soxr and
 * torchaudio's `resample`). The rates' ratio is reduced to L/M by their gcd; output sample n sits at
 * input position n·M/L, whose fractional part is one of L phases, and each phase has its own row of
 * precomputed taps, so every output is one Float32 dot product, run in WebAssembly SIMD
 * (resample-simd.wat; Node and Electron always have it). Ratios with more than
 * MAX_EXACT_PHASES phases (only odd pairs of rates, such as pitch shifting's) interpolate linearly
 * between the two nearest of MAX_EXACT_PHASES tabulated phases instead.
 */
import { WASM_PLAIN } from './resample-simd-wasm.ts';

/** The name of the one filter design below; caches of resampled audio key on it, so it changes when the design does. */
export type ResampleQuality = 'kaiser-v1';
export const DEFAULT_RESAMPLE_QUALITY: ResampleQuality = 'kaiser-v1';

/** The highest rate accepted, in or out (768 kHz is the fastest rate audio interfaces offer). */
export const MAX_RESAMPLE_RATE = 768_000;

/**
 * Flat (ripple < 0.001 dB) to 0.9 of the lower rate's Nyquist frequency, at least ATTENUATION_DB
 * down from the Nyquist frequency on, so nothing aliases into the band; the margins above the
 * promised 0.1 dB and 80 dB absorb the Kaiser formulas' approximation.
 */
const PASSBAND_EDGE = 0.9;
const STOPBAND_EDGE = 0.995;
const ATTENUATION_DB = 90;

/** Enough for every ratio between common rates (441 for 16 kHz ↔ 22.05 kHz); a bank row is ~100-500 taps. */
const MAX_EXACT_PHASES = 512;

/** A stateful mono resampler: feed consecutive chunks, then end() once. */
export interface StreamResampler {
  readonly inputRate: number;
  readonly outputRate: number;
  /** Output for this chunk; it lags the input by the filter's half length until end() flushes it. */
  push(chunk: Float32Array): Float32Array;
  /** The remaining output, making the total round(inputSamples × outputRate / inputRate). */
  end(): Float32Array;
  /** Drops the stream's state without flushing (an abandoned stream). Safe to call more than once. */
  dispose(): void;
}

/** The taps for one ratio: `phases + 1` rows of `taps`, row p for input position offset p / phases. */
interface FilterBank {
  /** The reduced ratio: `down` input samples per `up` output samples. */
  readonly up: number;
  readonly down: number;
  readonly phases: number;
  readonly taps: number;
  /** Taps up to the input sample at or below an output's position, that sample included; the rest follow it. */
  readonly before: number;
  readonly rows: Float32Array;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Modified Bessel function of the first kind, order 0, by its power series (converges fast for the β used here). */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; term > sum * 1e-17; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}

function designBank(inputRate: number, outputRate: number): FilterBank {
  const g = gcd(inputRate, outputRate);
  const up = outputRate / g;
  const down = inputRate / g;
  const nyquist = Math.min(inputRate, outputRate) / 2;
  // Cutoff and transition width as fractions of the input rate; the Kaiser window's β and length
  // for that attenuation and width are Kaiser's empirical formulas (as scipy.signal.kaiserord).
  const cutoff = ((PASSBAND_EDGE + STOPBAND_EDGE) / 2) * (nyquist / inputRate);
  const width = (STOPBAND_EDGE - PASSBAND_EDGE) * (nyquist / inputRate);
  const beta = 0.1102 * (ATTENUATION_DB - 8.7);
  const halfLength = (ATTENUATION_DB - 7.95) / (2.285 * 2 * Math.PI * width) / 2;
  const before = Math.ceil(halfLength);
  // The SIMD loop takes 8 taps at a time: zero taps pad the row after the window's end.
  const taps = 8 * Math.ceil((2 * before) / 8);
  const phases = Math.min(up, MAX_EXACT_PHASES);
  const rows = new Float32Array((phases + 1) * taps);
  const i0Beta = besselI0(beta);
  for (let p = 0; p <= phases; p++) {
    for (let j = 0; j < taps; j++) {
      // Distance in input samples from the output's position to tap j's input sample.
      const d = p / phases + before - 1 - j;
      const u = d / halfLength;
      if (Math.abs(u) >= 1) continue;
      const x = 2 * cutoff * d;
      const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
      rows[p * taps + j] = 2 * cutoff * sinc * (besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta);
    }
  }
  return { up, down, phases, taps, before, rows };
}

/**
 * The SIMD dot product and the memory it reads: bank rows, then input. One instance serves every
 * stream, as each run() fills and reads the memory synchronously.
 */
const PAGE_BYTES = 65536;
const memory = new WebAssembly.Memory({ initial: 1 });
const simd = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(WASM_PLAIN, 'base64')), { env: { memory } })
  .exports as { dot(a: number, b: number, n: number): number };

/** Float32 views of rows and input copied into the memory (grown as needed); byte offsets are index × 4. */
let residentRows: Float32Array | undefined;

function loadMemory(rows: Float32Array, input: Float32Array): { heap: Float32Array; inputAt: number } {
  const bytes = (rows.length + input.length) * 4;
  if (bytes > memory.buffer.byteLength) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
  const heap = new Float32Array(memory.buffer); // after grow(): growing replaces the buffer (and keeps its bytes)
  // Only this function writes the memory: rows already there need no copy, which matters for short stretches.
  if (residentRows !== rows) heap.set(rows);
  residentRows = rows;
  heap.set(input, rows.length);
  return { heap, inputAt: rows.length };
}

/** Designing a bank costs a few ms; files of one data set share their rates, so recent banks are kept. */
const banks = new Map<string, FilterBank>();
const MAX_CACHED_BANKS = 8;

function bankFor(inputRate: number, outputRate: number): FilterBank {
  const key = `${inputRate}:${outputRate}`;
  let bank = banks.get(key);
  if (bank) banks.delete(key);
  else bank = designBank(inputRate, outputRate);
  banks.set(key, bank); // re-inserted last: the Map's order is the recency order
  if (banks.size > MAX_CACHED_BANKS) banks.delete(banks.keys().next().value as string);
  return bank;
}

function checkRate(name: string, rate: number): void {
  if (!Number.isInteger(rate) || rate < 1 || rate > MAX_RESAMPLE_RATE) {
    throw new RangeError(`${name} must be an integer from 1 to ${MAX_RESAMPLE_RATE} Hz, got ${rate}`);
  }
}

/** Async so callers need not change if the converter ever has to load something (it used to be wasm). */
export async function createResampler(inputRate: number, outputRate: number): Promise<StreamResampler> {
  checkRate('inputRate', inputRate);
  checkRate('outputRate', outputRate);
  if (inputRate === outputRate) return identityResampler(inputRate);
  return new PolyphaseResampler(bankFor(inputRate, outputRate), inputRate, outputRate);
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

class PolyphaseResampler implements StreamResampler {
  private inputSamples = 0;
  private outputSamples = 0;
  /** Output n's position is n·down/up input samples: `base` whole samples plus `remainder`/up. */
  private base = 0;
  private remainder = 0;
  /** Input kept for outputs still to come, starting at absolute input index historyStart (negative: silence before the start). */
  private history: Float32Array;
  private historyStart: number;
  private ended = false;

  constructor(
    private readonly bank: FilterBank,
    readonly inputRate: number,
    readonly outputRate: number,
  ) {
    this.history = new Float32Array(bank.before - 1);
    this.historyStart = 1 - bank.before;
  }

  push(chunk: Float32Array): Float32Array {
    if (this.ended) throw new Error('resampler already ended');
    this.inputSamples += chunk.length;
    // Never beyond what end() will total, whatever input follows.
    return this.run(concat([this.history, chunk]), this.totalFor(this.inputSamples));
  }

  end(): Float32Array {
    if (this.ended) throw new Error('resampler already ended');
    const total = this.totalFor(this.inputSamples);
    const { up, down, before, taps } = this.bank;
    // Silence after the end, as much as the last output's taps reach.
    const lastBase = total > 0 ? Math.floor(((total - 1) * down) / up) : 0;
    const padded = new Float32Array(Math.max(this.history.length, lastBase - before + taps + 1 - this.historyStart));
    padded.set(this.history);
    const out = this.run(padded, total);
    this.dispose();
    return out;
  }

  dispose(): void {
    this.ended = true;
    this.history = new Float32Array(0);
  }

  private totalFor(inputSamples: number): number {
    return Math.round((inputSamples * this.outputRate) / this.inputRate);
  }

  /** Every output below `limit` whose taps lie within `input` (absolute index historyStart on); keeps the input still needed. */
  private run(input: Float32Array, limit: number): Float32Array {
    const { up, down, taps, before } = this.bank;
    // The last input index a tap may read, and so how many outputs' taps fit before it.
    const last = this.historyStart + input.length - 1 - (taps - before);
    const fit = Math.max(0, Math.ceil(((last + 1 - this.base) * up - this.remainder) / down));
    const out = new Float32Array(Math.min(limit - this.outputSamples, fit));
    const next = convolve(this.bank, input, this.historyStart, { base: this.base, remainder: this.remainder }, out);
    this.outputSamples += out.length;
    this.base = next.base;
    this.remainder = next.remainder;
    // The next output's first tap; the filter's half length exceeds an output step, so it lies within input.
    const keep = next.base - before + 1;
    this.history = input.slice(keep - this.historyStart);
    this.historyStart = keep;
    return out;
  }
}

/** An output's position in the input: `base` whole samples plus `remainder`/up. */
interface Position {
  base: number;
  remainder: number;
}

/**
 * Fills `out` with consecutive outputs from the one at `from` on, reading `input` (whose index 0 is
 * absolute input index `inputStart`); returns the position of the output after the last.
 */
function convolve(bank: FilterBank, input: Float32Array, inputStart: number, from: Position, out: Float32Array): Position {
  const { up, down, phases, taps, before, rows } = bank;
  const step = Math.floor(down / up);
  const stepRemainder = down % up;
  const { inputAt } = loadMemory(rows, input);
  let { base, remainder } = from;
  for (let n = 0; n < out.length; n++) {
    // With exact phases (phases === up) the row is the remainder itself and frac is 0.
    const scaled = remainder * phases;
    const row = Math.floor(scaled / up);
    const frac = (scaled - row * up) / up;
    const start = base - before + 1 - inputStart;
    let sum = simd.dot(row * taps * 4, (inputAt + start) * 4, taps);
    if (frac !== 0) sum += frac * (simd.dot((row + 1) * taps * 4, (inputAt + start) * 4, taps) - sum);
    out[n] = sum;
    base += step;
    remainder += stepRemainder;
    if (remainder >= up) {
      remainder -= up;
      base++;
    }
  }
  return { base, remainder };
}

/** Output n of a conversion, as a position in its input. */
function positionOf(bank: FilterBank, n: number): Position {
  return { base: Math.floor((n * bank.down) / bank.up), remainder: (n * bank.down) % bank.up };
}

/** The input samples [start, end) that outputs [first, first + count) of converting inputRate to outputRate read. */
export function stretchInput(inputRate: number, outputRate: number, first: number, count: number): { start: number; end: number } {
  if (inputRate === outputRate) return { start: first, end: first + count };
  const bank = bankFor(inputRate, outputRate);
  const last = positionOf(bank, first + Math.max(0, count - 1));
  return { start: positionOf(bank, first).base - bank.before + 1, end: last.base - bank.before + bank.taps + 1 };
}

/**
 * Outputs [first, first + count) of converting a signal, from the input stretchInput names (zeros
 * where it lies beyond the signal's ends, as a stream pads them): the same taps over the same
 * samples as one pass, so the same values, without converting what comes before.
 */
export function resampleStretch(input: Float32Array, inputRate: number, outputRate: number, first: number, count: number): Float32Array {
  checkRate('inputRate', inputRate);
  checkRate('outputRate', outputRate);
  const { start, end } = stretchInput(inputRate, outputRate, first, count);
  if (input.length !== end - start) throw new RangeError(`outputs ${first}..${first + count} read ${end - start} input samples, got ${input.length}`);
  if (inputRate === outputRate) return input;
  const bank = bankFor(inputRate, outputRate);
  const out = new Float32Array(count);
  convolve(bank, input, start, positionOf(bank, first), out);
  return out;
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
): Promise<Float32Array> {
  const resampler = await createResampler(inputRate, outputRate);
  try {
    return concat([resampler.push(samples), resampler.end()]);
  } finally {
    resampler.dispose();
  }
}
