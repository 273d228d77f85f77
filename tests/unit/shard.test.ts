import { describe, expect, it } from 'vitest';
import { parseShard, shardOf } from '../../electron/cli/shard.ts';
import { UsageError } from '../../electron/cli/usage-error.ts';

const files = (n: number) => Array.from({ length: n }, (_, i) => `/data/clip-${String(i).padStart(3, '0')}.wav`);

describe('--shard i/n', () => {
  it('reads i/n with i counted from 0', () => {
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
    expect(parseShard('0/1')).toEqual({ index: 0, count: 1 });
  });

  it.each(['4/4', '1/0', '-1/3', '1', '1/2/3', 'a/b', '1.5/3', ''])('refuses "%s" as a usage error', (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
  });

  it('cuts the sorted list into contiguous parts that cover it once, lengths within one of each other', () => {
    for (const [n, count] of [[10, 3], [7, 3], [3, 3], [2, 5], [0, 2], [1000, 7]]) {
      const all = files(n);
      const parts = Array.from({ length: count }, (_, index) => shardOf(all, { index, count }));
      expect(parts.flat()).toEqual(all);
      const lengths = parts.map((p) => p.length);
      expect(Math.max(...lengths) - Math.min(...lengths)).toBeLessThanOrEqual(1);
    }
    expect(Array.from({ length: 3 }, (_, index) => shardOf(files(10), { index, count: 3 }).length)).toEqual([3, 3, 4]);
  });

  it('gives every machine the same part whatever order its inputs came in', () => {
    const all = files(50);
    const shuffled = [...all.filter((_, i) => i % 2 === 1), ...all.filter((_, i) => i % 2 === 0).reverse()];
    for (let index = 0; index < 4; index++) expect(shardOf(shuffled, { index, count: 4 })).toEqual(shardOf(all, { index, count: 4 }));
  });

  it('sorts by code unit, not by locale', () => {
    // Under most locales "a" < "B"; by code unit every upper-case letter comes first.
    expect(shardOf(['/d/a.wav', '/d/B.wav', '/d/Z.wav', '/d/b.wav'], { index: 0, count: 2 })).toEqual(['/d/B.wav', '/d/Z.wav']);
  });
});
