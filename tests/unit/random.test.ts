import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed, shuffled } from '../../electron/shared/random.ts';

describe('createRandom', () => {
  it('matches the reference xoshiro128** seeded by splitmix32 (C implementation)', () => {
    const first = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 5 }, () => random.uint32());
    };
    expect(first(0)).toEqual([3809008728, 1133695204, 53579671, 2891528803, 139681546]);
    expect(first(42)).toEqual([2837322924, 544945897, 479756282, 3500138142, 339756180]);
  });

  it('repeats for a seed and differs between seeds', () => {
    const draws = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 20 }, () => random.next());
    };
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
  });

  it('draws uniforms in range with the right mean, and normals with mean 0 and variance 1', () => {
    const random = createRandom(1);
    const n = 20000;
    const u = Array.from({ length: n }, () => random.uniform(-2, 6));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(6);
    expect(u.reduce((a, b) => a + b, 0) / n).toBeCloseTo(2, 1);
    const z = Array.from({ length: n }, () => random.normal());
    const mean = z.reduce((a, b) => a + b, 0) / n;
    const variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
  });

  it('draws every integer below n about equally often', () => {
    const random = createRandom(2);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 6000; i++) counts[random.int(6)]++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
    expect(() => random.int(0)).toThrow(RangeError);
  });
});

describe('deriveSeed', () => {
  it('gives each named part its own stable seed', () => {
    expect(deriveSeed(1, 'clip.wav', 0)).toBe(deriveSeed(1, 'clip.wav', 0));
    const seeds = new Set([deriveSeed(1, 'clip.wav', 0), deriveSeed(1, 'clip.wav', 1), deriveSeed(2, 'clip.wav', 0), deriveSeed(1, 'clip.wa', 'v0')]);
    expect(seeds.size).toBe(4);
  });
});

describe('shuffled', () => {
  it('permutes a copy, reproducibly for a seed', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const a = shuffled(items, createRandom(3));
    expect(a).not.toEqual(items);
    expect([...a].sort((x, y) => x - y)).toEqual(items);
    expect(shuffled(items, createRandom(3))).toEqual(a);
    expect(items[0]).toBe(0);
  });
});
