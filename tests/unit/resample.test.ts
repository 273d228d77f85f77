import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { AudioDecodeError, decodeFile } from '../../electron/audio/decode.ts';
import { RealFft } from '../../electron/audio/fft.ts';
import { concat, createResampler, resample } from '../../electron/audio/resample.ts';
import { firstDifference, maxAbsDiff, peakFrequency, rms, zeroCrossingFrequency } from '../helpers/signal.ts';
import { encodeWav, sine } from '../helpers/wav-writer.ts';

const IN = 48000;
const OUT = 22050;

const dir = mkdtempSync(join(tmpdir(), 'ser-resample-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ideal output: the same tone sampled at the new rate, from the same phase. */
function analytic(freq: number, rate: number, length: number, amp = 0.5): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
}

/** A seeded generator (mulberry32), so a failing case can be rerun. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function whiteNoise(n: number, seed: number): Float32Array {
  const next = random(seed);
  return Float32Array.from({ length: n }, () => 0.5 * (2 * next() - 1));
}

/** An exponential sweep from 20 Hz to the rate's Nyquist frequency: every passband and stopband frequency in turn. */
function logSweep(rate: number, seconds: number): Float32Array {
  const n = Math.round(rate * seconds);
  const [f0, f1] = [20, rate / 2];
  const k = Math.log(f1 / f0);
  return Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(((2 * Math.PI * f0 * seconds) / k) * (Math.exp((k * i) / n) - 1)));
}

/** The same signal through `sox rate -v` (very high quality, linear phase, no delay), as float32. */
async function soxResample(x: Float32Array, inRate: number, outRate: number, name: string): Promise<Float32Array> {
  const input = join(dir, `${name}-in.wav`);
  const output = join(dir, `${name}-out.wav`);
  writeFileSync(input, encodeWav({ sampleRate: inRate, format: 'float32', channels: [x] }));
  execFileSync('sox', [input, '-e', 'floating-point', '-b', '32', output, 'rate', '-v', String(outRate)]);
  return (await decodeFile(output, { targetRate: outRate })).samples;
}

/**
 * SNR in dB of `y` against `reference` from 0 to `bandHz`, over one Hann-windowed FFT of the middle
 * of the signals, with y shifted by `lag` samples. Only the band is compared because the two filters'
 * transition bands (0.9-1.0 of Nyquist here, 0.95-1.0 in sox -v) differ by design; whatever our
 * filter lets alias from above Nyquist lands in the band and counts as error.
 */
function bandSnrDb(y: Float32Array, reference: Float32Array, rate: number, bandHz: number, lag: number): number {
  const nFft = 65536;
  const from = Math.floor((Math.min(y.length, reference.length) - nFft) / 2);
  const fft = new RealFft(nFft);
  const frame = (x: Float32Array, offset: number) =>
    Float64Array.from({ length: nFft }, (_, i) => x[from + offset + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / nFft)));
  const ref = frame(reference, 0);
  const diff = frame(y, lag).map((v, i) => v - ref[i]);
  const refPower = new Float64Array(fft.bins);
  const diffPower = new Float64Array(fft.bins);
  fft.power(ref, refPower);
  fft.power(diff, diffPower);
  const bins = Math.floor((bandHz / rate) * nFft);
  let signal = 0;
  let noise = 0;
  for (let k = 0; k <= bins; k++) {
    signal += refPower[k];
    noise += diffPower[k];
  }
  return 10 * Math.log10(signal / noise);
}

/** Gain in dB of a tone through the resampler, away from the first and last 2,000 output samples. */
async function toneGainDb(freq: number, inRate: number, outRate: number): Promise<number> {
  const x = sine(freq, inRate, 1);
  const y = await resample(x, inRate, outRate);
  return 20 * Math.log10(rms(y, 2000, y.length - 2000) / rms(x, 2000, x.length - 2000));
}

describe('resample', () => {
  it('returns the very same array when the rates match', async () => {
    const x = sine(440, IN, 0.1);
    expect(await resample(x, IN, IN)).toBe(x);
    const stream = await createResampler(IN, IN);
    expect(stream.push(x)).toBe(x);
    expect(stream.end()).toHaveLength(0);
  });

  it('gives round(n × out / in) samples for any input length', async () => {
    for (const [from, to] of [[IN, OUT], [16000, OUT], [OUT, 22051], [768000, 1000]]) {
      for (const n of [0, 1, 10, 101, 4800, 48001, 3 * from]) {
        const out = await resample(new Float32Array(n), from, to);
        expect(out.length, `${from} → ${to}, n = ${n}`).toBe(Math.round((n * to) / from));
      }
    }
  });

  it('keeps a 440 Hz sine at 440 Hz, in phase, 48 kHz → 22.05 kHz', async () => {
    const out = await resample(sine(440, IN, 3), IN, OUT);
    expect(out.length).toBe(66150);
    expect(zeroCrossingFrequency(out, OUT)).toBeCloseTo(440, 2);
    // No delay and no amplitude change: the output matches the tone sampled at 22.05 kHz,
    // apart from the first/last few ms where the filter sees the signal start and stop.
    const edge = 200;
    expect(maxAbsDiff(out, analytic(440, OUT, out.length), edge, out.length - edge)).toBeLessThan(1e-4);
  });

  it('upsamples 16 kHz → 22.05 kHz without changing the tone or adding its image', async () => {
    // A 7 kHz tone's image at 16 - 7 = 9 kHz is below the new Nyquist frequency: only the filter removes it.
    for (const freq of [440, 7000]) {
      const out = await resample(sine(freq, 16000, 2), 16000, OUT);
      expect(out.length).toBe(44100);
      const edge = 500;
      expect(maxAbsDiff(out, analytic(freq, OUT, out.length), edge, out.length - edge), `${freq} Hz`).toBeLessThan(1e-4);
    }
  });

  it('converts ratios with more phases than it tabulates (interpolated taps) as accurately', async () => {
    // 27,783 → 22,050 Hz (a pitch shift's pair) reduces to 22050/27783 itself: 22,050 phases.
    for (const freq of [440, 9000]) {
      const out = await resample(sine(freq, 27783, 2), 27783, OUT);
      const edge = 500;
      expect(maxAbsDiff(out, analytic(freq, OUT, out.length), edge, out.length - edge), `${freq} Hz`).toBeLessThan(1e-4);
    }
  });

  for (const [inRate, outRate] of [[IN, OUT], [16000, OUT], [44100, OUT], [8000, 16000]]) {
    it(`matches sox -v within 0.9 × Nyquist at SNR ≥ 70 dB, with no delay: sweep and white noise, ${inRate} → ${outRate} Hz`, async () => {
      const band = 0.9 * (Math.min(inRate, outRate) / 2);
      for (const [name, x] of [['sweep', logSweep(inRate, 6)], ['noise', whiteNoise(6 * inRate, 7)]] as const) {
        const ours = await resample(x, inRate, outRate);
        const theirs = await soxResample(x, inRate, outRate, `${name}-${inRate}-${outRate}`);
        const snr = [-2, -1, 0, 1, 2].map((lag) => bandSnrDb(ours, theirs, outRate, band, lag));
        // Aligned at lag 0: any shift of a whole sample costs tens of dB.
        expect(snr.indexOf(Math.max(...snr)), `${name}: SNR by lag ${snr.map((s) => s.toFixed(1))}`).toBe(2);
        expect(snr[2], name).toBeGreaterThanOrEqual(70);
      }
    });
  }

  for (const [inRate, outRate] of [[IN, OUT], [44100, OUT], [96000, OUT], [IN, 16000], [OUT, 8000]]) {
    it(`is flat within 0.1 dB to 0.9 × Nyquist and ≥ 80 dB down above Nyquist, ${inRate} → ${outRate} Hz`, async () => {
      const nyquist = outRate / 2;
      for (let f = 50; f <= 0.9 * nyquist; f += 0.9 * nyquist / 23) {
        expect(Math.abs(await toneGainDb(f, inRate, outRate)), `${f.toFixed(0)} Hz`).toBeLessThan(0.1);
      }
      // From just above Nyquist (exactly at it a sine's samples are all 0) to just below the input's.
      for (let f = 1.002 * nyquist; f < inRate / 2; f += (inRate / 2 - nyquist) / 17) {
        expect(await toneGainDb(f, inRate, outRate), `${f.toFixed(0)} Hz`).toBeLessThan(-80);
      }
    });
  }

  it('streams random chunk boundaries to bit-identical samples of one pass', async () => {
    const next = random(11);
    for (const [inRate, outRate] of [[IN, OUT], [16000, OUT], [27783, OUT], [OUT, IN]]) {
      const x = logSweep(inRate, 2);
      const oneShot = await resample(x, inRate, outRate);
      const stream = await createResampler(inRate, outRate);
      const pieces: Float32Array[] = [];
      for (let at = 0; at < x.length; ) {
        // Mostly small chunks, some empty and some of several thousand samples.
        const n = Math.floor(next() ** 3 * 8000);
        pieces.push(stream.push(x.subarray(at, at + n)));
        at += n;
      }
      pieces.push(stream.end());
      expect(firstDifference(concat(pieces), oneShot), `${inRate} → ${outRate}`).toBe(-1);
    }
  });

  it('starts each stream from a clean state (filter banks are shared)', async () => {
    const first = await resample(sine(440, IN, 0.5), IN, OUT);
    await resample(sine(1000, IN, 0.3), IN, OUT);
    const again = await resample(sine(440, IN, 0.5), IN, OUT);
    expect(firstDifference(again, first)).toBe(-1);
  });

  it('runs the SIMD loop built from its .wat source as committed (see the .wat for the rebuild)', async () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const { generate, targetOf } = (await import(join(root, 'scripts', 'build-simd-kernels.mjs'))) as {
      generate(wat: string): Promise<string>;
      targetOf(wat: string): string;
    };
    const wat = join(root, 'electron', 'audio', 'resample-simd.wat');
    expect(readFileSync(targetOf(wat), 'utf8')).toBe(await generate(wat));
  });

  it('refuses use after end() and bad rates', async () => {
    const stream = await createResampler(IN, OUT);
    stream.end();
    expect(() => stream.push(new Float32Array(10))).toThrow(/ended/);
    expect(() => stream.end()).toThrow(/ended/);
    await expect(createResampler(0, OUT)).rejects.toThrow(RangeError);
    await expect(createResampler(IN, 22050.5)).rejects.toThrow(RangeError);
    await expect(createResampler(800_000, OUT)).rejects.toThrow(RangeError);
  });
});

describe('decoding at every common rate', () => {
  // 11,025 Hz files longer than ~48 s once failed with a RangeError inside the old wasm resampler.
  for (const rate of [8000, 11025, 16000, 22050, 32000, 44100, 48000, 88200, 96000]) {
    it(`decodes 60 s of a 440 Hz tone at ${rate} Hz to 60 s of the tone at 22.05 kHz`, async () => {
      const path = join(dir, `tone-${rate}.wav`);
      writeFileSync(path, encodeWav({ sampleRate: rate, format: 'pcm16', channels: [sine(440, rate, 60)] }));
      const { samples } = await decodeFile(path, { targetRate: OUT });
      expect(samples.length).toBe(60 * OUT);
      expect(peakFrequency(samples, OUT, 65536)).toBeCloseTo(440, -1);
      // The whole minute, not just its middle: the tone sampled at 22.05 kHz, to 16-bit precision.
      const edge = 1000;
      expect(maxAbsDiff(samples, analytic(440, OUT, samples.length), edge, samples.length - edge)).toBeLessThan(2e-4);
    });
  }

  it('refuses source rates outside 1 kHz-768 kHz with the typed error naming the file', async () => {
    for (const rate of [1, 255, 999, 768_001]) {
      const path = join(dir, `rate-${rate}.wav`);
      writeFileSync(path, encodeWav({ sampleRate: rate, format: 'pcm16', channels: [new Float32Array(4000).fill(0.1)] }));
      const error = await decodeFile(path).then(() => undefined, (err: unknown) => err);
      expect(error, `${rate} Hz`).toBeInstanceOf(AudioDecodeError);
      expect((error as AudioDecodeError).file).toBe(path);
      expect((error as AudioDecodeError).message).toBe(
        `${path}: unsupported sample rate ${rate} Hz (supported: 1 kHz to 768 kHz)`,
      );
    }
    // The range's ends are accepted.
    for (const rate of [1000, 768_000]) {
      const path = join(dir, `edge-${rate}.wav`);
      writeFileSync(path, encodeWav({ sampleRate: rate, format: 'pcm16', channels: [sine(100, rate, 1)] }));
      expect((await decodeFile(path, { targetRate: OUT })).samples.length, `${rate} Hz`).toBe(OUT);
    }
  });
});
