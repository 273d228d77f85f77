import { describe, expect, it } from 'vitest';
import { RealFft } from '../../electron/audio/fft.ts';
import { Stft } from '../../electron/audio/stft.ts';
import { createRandom } from '../../electron/shared/random.ts';

function randomSignal(n: number, seed: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length: n }, () => random.uniform(-1, 1));
}

describe('RealFft', () => {
  const n = 64;
  const x = randomSignal(n, 1);

  it('forward matches the direct DFT', () => {
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    new RealFft(n).forward(x, re, im);
    for (let k = 0; k <= n / 2; k++) {
      let dr = 0;
      let di = 0;
      for (let t = 0; t < n; t++) {
        dr += x[t] * Math.cos((2 * Math.PI * k * t) / n);
        di -= x[t] * Math.sin((2 * Math.PI * k * t) / n);
      }
      expect(re[k]).toBeCloseTo(dr, 10);
      expect(im[k]).toBeCloseTo(di, 10);
    }
  });

  it('inverse returns the frame, and builds a cosine from a single bin', () => {
    const fft = new RealFft(n);
    const re = new Float64Array(n / 2 + 1);
    const im = new Float64Array(n / 2 + 1);
    const back = new Float64Array(n);
    fft.forward(x, re, im);
    fft.inverse(re, im, back);
    for (let t = 0; t < n; t++) expect(back[t]).toBeCloseTo(x[t], 12);
    re.fill(0);
    im.fill(0);
    re[3] = n / 2;
    fft.inverse(re, im, back);
    for (let t = 0; t < n; t++) expect(back[t]).toBeCloseTo(Math.cos((2 * Math.PI * 3 * t) / n), 12);
  });
});

describe('Stft', () => {
  it('has 1 + floor(n / hop) frames and inverts to the signal, for any length', () => {
    const stft = new Stft(256, 64);
    for (const length of [1000, 1001, 64, 5]) {
      const x = randomSignal(length, length);
      const spec = stft.forward(x);
      expect(spec.frames).toBe(1 + Math.floor(length / 64));
      const back = stft.inverse(spec, length);
      expect(back.length).toBe(length);
      for (let i = 0; i < length; i++) expect(back[i]).toBeCloseTo(x[i], 5);
    }
  });

  it('zero-pads the inverse when asked for more samples than the frames hold', () => {
    const stft = new Stft(256, 64);
    const x = randomSignal(300, 2);
    const back = stft.inverse(stft.forward(x), 1000);
    expect(back.length).toBe(1000);
    for (let i = 0; i < 300; i++) expect(back[i]).toBeCloseTo(x[i], 5);
    expect(Math.max(...back.subarray(300).map(Math.abs))).toBeLessThan(1e-12);
  });
});
