/**
 * A fine-tune on labels of only some of the base model's classes keeps them all (outputLabels):
 * the classes without clips are masked out of the loss and their output gradients zeroed (float32
 * rounding alone, through Adam, would move them about 1e-4 in two epochs), so their output weights
 * come out of training bit for bit as they went in, while the taught ones move.
 */
import type * as tf from '@tensorflow/tfjs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../electron/ml/model-store.ts';
import { runTraining } from '../../electron/ml/train.ts';
import { TOY_FEATURES, writeToyDataset } from '../helpers/toy-data.ts';
import { writeToyModel } from '../helpers/toy-model.ts';

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'ser-fine-tune-classes-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The output layer's kernel column and bias of class c. */
function outputWeightsOf(model: tf.LayersModel, c: number): number[] {
  const [kernel, bias] = model.layers.filter((l) => l.getWeights().length > 0).at(-1)!.getWeights();
  const [inputs, classes] = kernel.shape;
  const k = kernel.dataSync();
  return [...Array.from({ length: inputs }, (_, i) => k[i * classes + c]), bias.dataSync()[c]];
}

describe('a fine-tune that keeps the base model’s classes', () => {
  it('keeps every output, leaves the untaught class’s weights untouched and moves the taught ones', async () => {
    const baseLabels = ['low', 'high', 'noise'];
    const base = await writeToyModel(join(dir, 'base'), 'base', baseLabels);
    const toy = writeToyDataset(join(dir, 'data'), { classes: ['low', 'high'], clipsPerClass: 6 });
    const out = join(dir, 'tuned');
    const result = await runTraining({
      data: { csv: toy.csv },
      outputLabels: baseLabels,
      split: { protocol: 'random', seed: 1, validationFraction: 1 / 3, testFraction: 0 },
      base,
      out,
      seed: 3,
      epochs: 2,
      patience: 2,
      features: TOY_FEATURES,
      minClipsPerLabel: 2,
      cacheDir: join(dir, 'cache'),
    });
    expect(result.notes.some((n) => n.startsWith("no clips of noise: kept as the model's classes"))).toBe(true);
    const [before, after] = [await loadModel(base), await loadModel(out)];
    expect(after.metadata.labels).toEqual(baseLabels);
    expect(after.model.outputs[0].shape).toEqual([null, 3]);
    expect(outputWeightsOf(after.model, 2)).toEqual(outputWeightsOf(before.model, 2));
    for (const c of [0, 1]) expect(outputWeightsOf(after.model, c)).not.toEqual(outputWeightsOf(before.model, c));
    before.model.dispose();
    after.model.dispose();
  }, 300_000);

  it('refuses data of a class the model does not have', async () => {
    const toy = writeToyDataset(join(dir, 'other'), { classes: ['low', 'noise'], clipsPerClass: 4 });
    await expect(
      runTraining({ data: { csv: toy.csv }, outputLabels: ['low', 'high'], split: { protocol: 'random', seed: 1 }, out: join(dir, 'refused'), seed: 1, epochs: 1, features: TOY_FEATURES, minClipsPerLabel: 2, cacheDir: join(dir, 'cache') }),
    ).rejects.toThrow(/the data's noise is not among the model's classes \(low, high\)/);
  });
});
