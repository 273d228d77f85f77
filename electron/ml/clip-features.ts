/**
 * Model inputs for a run's clips, through the feature cache: each clip as recorded, and for
 * training clips their augmented copies. A copy's random choices come from the run's seed and the
 * clip's content hash only, so every fold of a protocol (and every later run with that seed)
 * asks for the same copies and finds them in the cache.
 */
import { drawAugmentation, type AugmentPolicy, type Augmentation } from '../audio/augment/index.ts';
import { createRandom, deriveSeed } from '../shared/random.ts';
import type { FeatureCache, FeatureRecipe } from './feature-cache.ts';
import type { HashedItem } from './training-data.ts';

/** The clip's count augmented copies. */
export function augmentationsFor(item: HashedItem, count: number, policy: AugmentPolicy, seed: number): Augmentation[] {
  return Array.from({ length: count }, (_, k) => drawAugmentation(policy, createRandom(deriveSeed(seed, 'augment', item.hash, k))));
}

/**
 * For each item, the model inputs of the copies asked (null: the clip as recorded), in order.
 * onProgress is called after each item with the number done.
 */
export async function clipFeatures(
  items: readonly HashedItem[],
  cache: FeatureCache,
  recipe: FeatureRecipe,
  copiesOf: (item: HashedItem) => (Augmentation | null)[],
  options: { signal?: AbortSignal; onProgress?: (done: number) => void } = {},
): Promise<Float32Array[][]> {
  const out: Float32Array[][] = [];
  for (const item of items) {
    options.signal?.throwIfAborted();
    out.push(await cache.features(item.path, recipe, copiesOf(item)));
    options.onProgress?.(out.length);
  }
  return out;
}
