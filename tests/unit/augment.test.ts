import { describe, expect, it } from 'vitest';
import {
  addNoise,
  applyAugmentation,
  DEFAULT_AUGMENT_POLICY,
  drawAugmentation,
  pitchShift,
  timeStretch,
  type Augmentation,
} from '../../electron/audio/augment/index.ts';
import { createRandom } from '../../electron/shared/random.ts';
import { firstDifference, peakFrequency, rms } from '../helpers/signal.ts';
import { sine } from '../helpers/wav-writer.ts';

const SR = 22050;
const N_FFT = 2048;
const BIN_HZ = SR / N_FFT;
const tone = sine(440, SR, 3);

function snrDb(clean: Float32Array, noisy: Float32Array): number {
  const noise = noisy.map((v, i) => v - clean[i]);
  return 20 * Math.log10(rms(clean) / rms(noise));
}

describe('pitchShift', () => {
  it('moves a 440 Hz sine up 4 semitones to 554 Hz and keeps its length', async () => {
    const out = await pitchShift(tone, SR, 4);
    expect(out.length).toBe(tone.length);
    expect(Math.abs(peakFrequency(out, SR, N_FFT) - 440 * 2 ** (4 / 12))).toBeLessThanOrEqual(BIN_HZ);
  });

  it('moves it down 4 semitones to 349 Hz', async () => {
    const out = await pitchShift(tone, SR, -4);
    expect(out.length).toBe(tone.length);
    expect(Math.abs(peakFrequency(out, SR, N_FFT) - 440 * 2 ** (-4 / 12))).toBeLessThanOrEqual(BIN_HZ);
  });

  it('is accurate to a fraction of a semitone (16384-point FFT, 1.3 Hz bins)', async () => {
    const fine = SR / 16384;
    for (const semitones of [2.5, -1]) {
      const out = await pitchShift(tone, SR, semitones);
      expect(Math.abs(peakFrequency(out, SR, 16384) - 440 * 2 ** (semitones / 12))).toBeLessThanOrEqual(fine);
    }
  });

  it('keeps sounds where they were in time', async () => {
    // Silence for 1.5 s, then the tone: the shift must not move the onset.
    const x = new Float32Array(tone.length);
    x.set(tone.subarray(0, tone.length / 2), tone.length / 2);
    const out = await pitchShift(x, SR, 3);
    const quarter = Math.floor(x.length / 4);
    expect(rms(out, 0, quarter)).toBeLessThan(0.01);
    expect(rms(out, 3 * quarter, x.length)).toBeGreaterThan(0.25);
  });
});

describe('timeStretch', () => {
  it('rate 1.25 gives 0.8x the length with the same spectral peak', () => {
    const out = timeStretch(tone, 1.25);
    expect(out.length).toBe(Math.round(tone.length * 0.8));
    expect(Math.abs(peakFrequency(out, SR, N_FFT) - 440)).toBeLessThanOrEqual(BIN_HZ);
  });

  it('rate 0.8 gives 1.25x the length with the same spectral peak', () => {
    const out = timeStretch(tone, 0.8);
    expect(out.length).toBe(Math.round(tone.length * 1.25));
    expect(Math.abs(peakFrequency(out, SR, N_FFT) - 440)).toBeLessThanOrEqual(BIN_HZ);
  });

  it('moves an onset in proportion to the rate', () => {
    const x = new Float32Array(tone.length);
    x.set(tone.subarray(0, tone.length / 2), tone.length / 2);
    const out = timeStretch(x, 0.8);
    // The onset was at 1.5 s; slowed down it is at 1.875 s.
    const onset = Math.round(1.875 * SR);
    const margin = 2048;
    expect(rms(out, 0, onset - margin)).toBeLessThan(0.01);
    expect(rms(out, onset + margin, out.length - margin)).toBeGreaterThan(0.25);
  });

  it('rate 1 gives the input back', () => {
    const out = timeStretch(tone, 1);
    expect(out.length).toBe(tone.length);
    let worst = 0;
    for (let i = 0; i < tone.length; i++) worst = Math.max(worst, Math.abs(out[i] - tone[i]));
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('addNoise', () => {
  it('adds noise at the requested SNR, measured back within 0.5 dB', () => {
    for (const target of [0, 10, 30]) {
      const noisy = addNoise(tone, target, createRandom(7));
      expect(Math.abs(snrDb(tone, noisy) - target), `${target} dB`).toBeLessThanOrEqual(0.5);
    }
  });

  it('is Gaussian: about 68% of the noise lies within one standard deviation', () => {
    const noisy = addNoise(tone, 10, createRandom(3));
    const noise = noisy.map((v, i) => v - tone[i]);
    const sigma = rms(noise);
    const within = noise.filter((v) => Math.abs(v) <= sigma).length / noise.length;
    expect(within).toBeCloseTo(0.6827, 2);
  });

  it('leaves digital silence silent', () => {
    expect(Array.from(addNoise(new Float32Array(100), 10, createRandom(1)))).toEqual(new Array(100).fill(0));
  });
});

describe('drawAugmentation and applyAugmentation', () => {
  it('gives identical output for the same seed and different output for another', async () => {
    const run = async (seed: number) => {
      const augmentation = drawAugmentation(DEFAULT_AUGMENT_POLICY, createRandom(seed));
      return applyAugmentation(tone, SR, augmentation);
    };
    expect(firstDifference(await run(11), await run(11))).toBe(-1);
    expect(firstDifference(await run(11), await run(12))).not.toBe(-1);
  });

  it('draws each effect within its range and with its probability', () => {
    const random = createRandom(5);
    const draws: Augmentation[] = Array.from({ length: 1000 }, () => drawAugmentation(DEFAULT_AUGMENT_POLICY, random));
    const stretch = draws.flatMap((d) => (d.stretchRate === undefined ? [] : [d.stretchRate]));
    const pitch = draws.flatMap((d) => (d.pitchSemitones === undefined ? [] : [d.pitchSemitones]));
    const snr = draws.flatMap((d) => (d.noise === undefined ? [] : [d.noise.snrDb]));
    // Probability 0.5 each: 500 of 1000, binomial standard deviation 16.
    for (const values of [stretch, pitch, snr]) expect(Math.abs(values.length - 500)).toBeLessThan(64);
    expect(Math.min(...stretch)).toBeGreaterThanOrEqual(0.8);
    expect(Math.max(...stretch)).toBeLessThanOrEqual(1.25);
    expect(Math.min(...pitch)).toBeGreaterThanOrEqual(-4);
    expect(Math.max(...pitch)).toBeLessThanOrEqual(4);
    expect(Math.min(...pitch)).toBeLessThan(-3.5);
    expect(Math.max(...pitch)).toBeGreaterThan(3.5);
  });

  it('applies only the effects of the policy', () => {
    const random = createRandom(9);
    for (let i = 0; i < 50; i++) {
      const a = drawAugmentation({ pitchSemitones: { min: 1, max: 2 } }, random);
      expect(Object.keys(a)).toEqual(['pitchSemitones']);
    }
    expect(drawAugmentation({}, random)).toEqual({});
  });

  it('applies stretch, then pitch shift, then noise', async () => {
    const out = await applyAugmentation(tone, SR, { stretchRate: 1.25, pitchSemitones: 4, noise: { snrDb: 20, seed: 1 } });
    expect(out.length).toBe(Math.round(tone.length / 1.25));
    expect(Math.abs(peakFrequency(out, SR, N_FFT) - 554.37)).toBeLessThanOrEqual(BIN_HZ);
    const unaugmented = await applyAugmentation(tone, SR, {});
    expect(unaugmented).not.toBe(tone);
    expect(firstDifference(unaugmented, tone)).toBe(-1);
  });

  it('adds a crop position without changing the other draws of a seed', () => {
    for (let seed = 0; seed < 20; seed++) {
      const plain = drawAugmentation(DEFAULT_AUGMENT_POLICY, createRandom(seed));
      const { cropPosition, ...rest } = drawAugmentation({ ...DEFAULT_AUGMENT_POLICY, crop: { probability: 1 } }, createRandom(seed));
      expect(rest).toEqual(plain);
      expect(cropPosition).toBeGreaterThanOrEqual(0);
      expect(cropPosition).toBeLessThan(1);
    }
    expect(() => drawAugmentation({ crop: { probability: -1 } }, createRandom(1))).toThrow(/crop/);
  });

  it('rejects impossible ranges', () => {
    expect(() => drawAugmentation({ stretchRate: { min: 0, max: 1 } }, createRandom(1))).toThrow(/stretchRate/);
    expect(() => drawAugmentation({ noiseSnrDb: { min: 30, max: 10 } }, createRandom(1))).toThrow(/noiseSnrDb/);
    expect(() => drawAugmentation({ pitchSemitones: { min: 0, max: 1, probability: 2 } }, createRandom(1))).toThrow(/probability/);
  });
});
