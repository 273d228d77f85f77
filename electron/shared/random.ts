/**
 * The seedable random numbers behind everything random in training (augmentation, shuffling,
 * splits), so a run with the same seed repeats exactly. xoshiro128** (period 2^128 - 1), seeded
 * through splitmix32 so that nearby seeds give unrelated streams. Math.random is never used there.
 */
export interface Random {
  /** Uniform in [0, 1), with 32 bits of resolution. */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal (mean 0, variance 1). */
  normal(): number;
}

const TWO_POW_32 = 2 ** 32;

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

/** A generator for a 32-bit seed (other numbers are reduced modulo 2^32 after truncation). */
export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  const init = splitmix32(Math.trunc(seed) % TWO_POW_32);
  let a = init();
  let b = init();
  let c = init();
  let d = init();
  // splitmix32 never yields four zeros in a row, the one state xoshiro cannot leave.
  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  const next = () => uint32() / TWO_POW_32;
  // Box-Muller gives normals in pairs; the second is kept for the next call.
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    const u = 1 - next(); // (0, 1]: log(u) stays finite
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * next();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  return {
    next,
    uint32,
    uniform: (min, max) => min + (max - min) * next(),
    int: (n) => {
      if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) throw new RangeError(`n must be an integer from 1 to 2^32, got ${n}`);
      return Math.floor(next() * n);
    },
    normal,
  };
}

/**
 * A seed for one part of a run (a clip's augmented copy, a fold's shuffle) from the run's seed and
 * names for the part: FNV-1a over the parts, so the part's stream does not depend on what else
 * the run draws or in which order.
 */
export function deriveSeed(seed: number, ...parts: (string | number)[]): number {
  let h = 0x811c9dc5 ^ (Math.trunc(seed) >>> 0);
  for (const ch of parts.map(String).join('\u0000')) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193);
  }
  return splitmix32(h)();
}

/** Fisher-Yates shuffle of a copy. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
