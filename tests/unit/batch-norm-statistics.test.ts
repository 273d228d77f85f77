/** After recomputation, batch norm's moving statistics are the mean of the given batches' statistics. */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../electron/ml/backend.ts';
import { batchNormLayers, recomputeBatchNormStatistics } from '../../electron/ml/batch-norm-statistics.ts';
import { buildModel } from '../../electron/ml/model.ts';
import { createRandom } from '../../electron/shared/random.ts';

const shape = { nMels: 16, frames: 20, numClasses: 3 };
const inputShape = [shape.nMels, shape.frames, 1];

beforeAll(async () => {
  await initBackend();
});

describe('recomputeBatchNormStatistics', () => {
  it("sets the first batch norm's moving mean and variance to the mean over batches of its input's batch moments", () => {
    const model = buildModel(shape);
    const random = createRandom(5);
    // Inputs with a non-zero mean and a scale far from 1, so the statistics differ from their initial 0 and 1.
    const inputs = Array.from({ length: 12 }, () => Float32Array.from({ length: shape.nMels * shape.frames }, () => 3 + 2 * random.normal()));
    const batches = [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]];
    const [first] = batchNormLayers(model);
    const conv = tf.model({ inputs: model.inputs, outputs: first.input as tf.SymbolicTensor });
    const expected = tf.tidy(() => {
      const moments = batches.map((rows) => tf.moments(conv.predict(tf.tensor4d(Float32Array.from(rows.flatMap((r) => [...inputs[r]])), [rows.length, ...inputShape] as [number, number, number, number])) as tf.Tensor, [0, 1, 2]));
      return [tf.addN(moments.map((m) => m.mean)).div(batches.length).arraySync() as number[], tf.addN(moments.map((m) => m.variance)).div(batches.length).arraySync() as number[]];
    });
    const before = first.getWeights()[2].arraySync() as number[];
    expect(before.every((v) => v === 0)).toBe(true);

    recomputeBatchNormStatistics(model, inputs, batches, inputShape);

    const [, , movingMean, movingVariance] = first.getWeights().map((w) => w.arraySync() as number[]);
    movingMean.forEach((v, c) => expect(v).toBeCloseTo(expected[0][c], 4));
    movingVariance.forEach((v, c) => expect(v).toBeCloseTo(expected[1][c], 4));
    // Far from the initial 0 and 1, so the test can tell recomputed statistics from untouched ones.
    expect(Math.max(...expected[0].map(Math.abs))).toBeGreaterThan(0.5);
    expect(Math.min(...expected[1])).toBeLessThan(0.8);
    // The layers' momentum is what it was.
    expect(batchNormLayers(model).map((l) => (l as unknown as { momentum: number }).momentum)).toEqual([0.9, 0.9, 0.9, 0.9]);
    model.dispose();
  });
});
