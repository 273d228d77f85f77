import { describe, expect, it } from 'vitest';
import { concat, createResampler, resample, type ResampleQuality } from '../../electron/audio/resample.ts';
import { maxAbsDiff, rms, zeroCrossingFrequency } from '../helpers/signal.ts';
import { sine } from '../helpers/wav-writer.ts';

const IN = 48000;
const OUT = 22050;

/** The ideal output: the same tone sampled at the new rate, from the same phase. */
function analytic(freq: number, rate: number, length: number, amp = 0.5): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = amp * Math.sin((2 * Math.PI * freq * i) / rate);
  return out;
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
    for (const n of [0, 1, 10, 101, 4800, 48001, 3 * IN]) {
      const out = await resample(sine(440, IN, n / IN), IN, OUT);
      expect(out.length, `n = ${n}`).toBe(Math.round((n * OUT) / IN));
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

  it('upsamples 16 kHz → 22.05 kHz without changing the tone', async () => {
    const out = await resample(sine(440, 16000, 2), 16000, OUT);
    expect(out.length).toBe(44100);
    const edge = 200;
    expect(maxAbsDiff(out, analytic(440, OUT, out.length), edge, out.length - edge)).toBeLessThan(1e-4);
  });

  for (const quality of ['medium', 'best'] satisfies ResampleQuality[]) {
    describe(`${quality} quality`, () => {
      it('passes a 5 kHz tone at full amplitude', async () => {
        const x = sine(5000, IN, 1);
        const out = await resample(x, IN, OUT, { quality });
        expect(rms(out, 500, out.length - 500) / rms(x)).toBeCloseTo(1, 3);
      });

      it('removes tones above the new Nyquist frequency instead of aliasing them', async () => {
        // 12.05 kHz would fold to 22.05 - 12.05 = 10 kHz, 20 kHz to 2.05 kHz.
        for (const freq of [12050, 20000]) {
          const x = sine(freq, IN, 1);
          const out = await resample(x, IN, OUT, { quality });
          expect(rms(out, 500, out.length - 500) / rms(x), `${freq} Hz`).toBeLessThan(0.01);
        }
      });
    });
  }

  it('streams chunk by chunk to the same output as one call', async () => {
    const x = sine(440, IN, 2);
    // A second tone makes any misalignment between chunks visible.
    const y = sine(3000, IN, 2, 0.2);
    for (let i = 0; i < x.length; i++) x[i] += y[i];
    const oneShot = await resample(x, IN, OUT);

    const stream = await createResampler(IN, OUT);
    const pieces: Float32Array[] = [];
    const sizes = [1, 17, 1000, 4096, 30000, 7];
    for (let at = 0, k = 0; at < x.length; k++) {
      const n = sizes[k % sizes.length];
      pieces.push(stream.push(x.subarray(at, at + n)));
      at += n;
    }
    pieces.push(stream.end());
    const streamed = concat(pieces);
    expect(streamed.length).toBe(oneShot.length);
    expect(maxAbsDiff(streamed, oneShot)).toBeLessThan(1e-6);
  });

  it('starts each stream from a clean state (converters are reused)', async () => {
    const first = await resample(sine(440, IN, 0.5), IN, OUT);
    await resample(sine(1000, IN, 0.3), IN, OUT); // leaves different history in a reused converter
    const again = await resample(sine(440, IN, 0.5), IN, OUT);
    expect(maxAbsDiff(again, first)).toBe(0);
  });

  it('refuses use after end() and bad rates', async () => {
    const stream = await createResampler(IN, OUT);
    stream.end();
    expect(() => stream.push(new Float32Array(10))).toThrow(/ended/);
    expect(() => stream.end()).toThrow(/ended/);
    await expect(createResampler(0, OUT)).rejects.toThrow(RangeError);
    await expect(createResampler(IN, 22050.5)).rejects.toThrow(RangeError);
    await expect(createResampler(384000, OUT)).rejects.toThrow(RangeError);
  });
});
