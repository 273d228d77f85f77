import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyAugmentation, type Augmentation } from '../../electron/audio/augment/index.ts';
import { decodeFile } from '../../electron/audio/decode.ts';
import { LogMelExtractor } from '../../electron/audio/mel.ts';
import { toModelInput } from '../../electron/audio/model-input.ts';
import { DEFAULT_FEATURES } from '../../electron/audio/settings.ts';
import { trainingWindow } from '../../electron/audio/training-window.ts';
import { defaultFeatureCacheDir, FeatureCache, fileContentHash, type FeatureRecipe } from '../../electron/ml/feature-cache.ts';
import { firstDifference } from '../helpers/signal.ts';
import { encodeWav, sine } from '../helpers/wav-writer.ts';

const recipe: FeatureRecipe = { settings: { ...DEFAULT_FEATURES }, window: 'first' };
const copy: Augmentation = { pitchSemitones: 2, noise: { snrDb: 20, seed: 5 } };

let dir: string;
let cacheDir: string;
let clip: string;

function writeClip(path: string, freq: number, seconds = 1): void {
  writeFileSync(path, encodeWav({ sampleRate: 22050, format: 'pcm16', channels: [sine(freq, 22050, seconds)] }));
}

/** Every entry file under the cache folder. */
function entries(): string[] {
  return readdirSync(cacheDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.f32') || f.endsWith('.tmp'))
    .map((f) => join(cacheDir, f));
}

/** What the cache must return, computed step by step without it. */
async function expected(path: string, augmentation: Augmentation | null): Promise<Float32Array> {
  const { samples } = await decodeFile(path, { targetRate: 22050 });
  const augmented = augmentation ? await applyAugmentation(samples, 22050, augmentation) : samples;
  const mel = new LogMelExtractor(recipe.settings).compute(trainingWindow(augmented, recipe.settings, recipe.window));
  return toModelInput(mel, recipe.settings.normalisation);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ser-feature-cache-'));
  cacheDir = join(dir, 'cache');
  clip = join(dir, 'clip.wav');
  writeClip(clip, 440);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('FeatureCache', () => {
  it('computes model inputs once, then serves them from disk, also to a new cache object', async () => {
    const cache = new FeatureCache(cacheDir);
    const [plain, augmented] = await cache.features(clip, recipe, [null, copy]);
    expect(cache.stats).toEqual({ hits: 0, misses: 2, recovered: 0 });
    expect(plain.length).toBe(128 * 130);
    expect(firstDifference(plain, await expected(clip, null))).toBe(-1);
    expect(firstDifference(augmented, await expected(clip, copy))).toBe(-1);
    expect(firstDifference(plain, augmented)).not.toBe(-1);
    expect(entries()).toHaveLength(2);

    const again = new FeatureCache(cacheDir);
    const [plain2, augmented2] = await again.features(clip, recipe, [null, copy]);
    expect(again.stats).toEqual({ hits: 2, misses: 0, recovered: 0 });
    expect(firstDifference(plain2, plain)).toBe(-1);
    expect(firstDifference(augmented2, augmented)).toBe(-1);
  });

  it('keys on content, settings, window and augmentation, not on the file name', async () => {
    const cache = new FeatureCache(cacheDir);
    await cache.features(clip, recipe, [null, copy]);
    const renamed = join(dir, 'other-name.wav');
    copyFileSync(clip, renamed);
    await cache.features(renamed, recipe, [null]);
    expect(cache.stats.hits).toBe(1);

    const misses = async (run: () => Promise<unknown>) => {
      const before = cache.stats.misses;
      await run();
      return cache.stats.misses - before;
    };
    expect(await misses(() => cache.features(clip, { ...recipe, settings: { ...recipe.settings, nMels: 64 } }))).toBe(1);
    expect(await misses(() => cache.features(clip, { ...recipe, settings: { ...recipe.settings, normalisation: 'none' } }))).toBe(1);
    expect(await misses(() => cache.features(clip, { ...recipe, window: 'centre-on-energy' }))).toBe(1);
    expect(await misses(() => cache.features(clip, recipe, [{ ...copy, pitchSemitones: 3 }]))).toBe(1);
    // The same settings written in another field order are the same entry.
    const reordered = Object.fromEntries(Object.entries(recipe.settings).reverse()) as typeof recipe.settings;
    expect(await misses(() => cache.features(clip, { ...recipe, settings: reordered }, [null, copy]))).toBe(0);
  });

  it('notices a changed file, with the same object and with a new one', async () => {
    const cache = new FeatureCache(cacheDir);
    const [before] = await cache.features(clip, recipe);
    writeClip(clip, 880, 1.5);
    const [after] = await cache.features(clip, recipe);
    expect(cache.stats.misses).toBe(2);
    expect(firstDifference(after, await expected(clip, null))).toBe(-1);
    expect(firstDifference(after, before)).not.toBe(-1);

    writeClip(clip, 660, 1.5); // same size as the last version
    const fresh = new FeatureCache(cacheDir);
    const [third] = await fresh.features(clip, recipe);
    expect(fresh.stats.misses).toBe(1);
    expect(firstDifference(third, await expected(clip, null))).toBe(-1);
  });

  it('recomputes a truncated, corrupt or misplaced entry and rewrites it', async () => {
    const [original] = await new FeatureCache(cacheDir).features(clip, recipe);
    const [entry] = entries();
    const good = readFileSync(entry);
    const damaged: [string, Buffer][] = [
      ['truncated', good.subarray(0, good.length - 10)],
      ['header only', good.subarray(0, 48)],
      ['empty', Buffer.alloc(0)],
      ['flipped value byte', Buffer.from(good.map((b, i) => (i === 1000 ? b ^ 0x40 : b)))],
      ['another entry', Buffer.from(good.map((b, i) => (i === 8 ? b ^ 1 : b)))],
    ];
    for (const [what, bytes] of damaged) {
      writeFileSync(entry, bytes);
      const cache = new FeatureCache(cacheDir);
      const [values] = await cache.features(clip, recipe);
      expect(cache.stats, what).toEqual({ hits: 0, misses: 1, recovered: 1 });
      expect(firstDifference(values, original), what).toBe(-1);
      expect(readFileSync(entry).equals(good), what).toBe(true);
    }
    truncateSync(entry, 0);
    await new FeatureCache(cacheDir).features(clip, recipe);
    expect(entries()).toEqual([entry]); // no temporary files left behind
  });
});

describe('defaultFeatureCacheDir', () => {
  it('follows $SER_CACHE_DIR, else a per-user cache folder', () => {
    const saved = process.env.SER_CACHE_DIR;
    try {
      process.env.SER_CACHE_DIR = join(dir, 'elsewhere');
      expect(defaultFeatureCacheDir()).toBe(join(dir, 'elsewhere', 'features'));
      delete process.env.SER_CACHE_DIR;
      expect(defaultFeatureCacheDir()).toMatch(/[\\/]ser-studio[\\/](Cache[\\/])?features$/);
    } finally {
      if (saved === undefined) delete process.env.SER_CACHE_DIR;
      else process.env.SER_CACHE_DIR = saved;
    }
  });
});

describe('fileContentHash', () => {
  it('is the sha256 of the bytes', async () => {
    writeFileSync(join(dir, 'abc'), 'abc');
    expect(await fileContentHash(join(dir, 'abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
