/** predictBatch folds batch norm into the convolutions; it must agree with model.predict. */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../electron/ml/backend.ts';
import { predictBatch } from '../../electron/ml/infer.ts';
import { inferenceForward } from '../../electron/ml/inference-graph.ts';
import { buildModel } from '../../electron/ml/model.ts';
import { createRandom } from '../../electron/shared/random.ts';

const shape = { nMels: 16, frames: 20, numClasses: 5 };

function inputs(n: number, seed: number, size: number): Float32Array[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => random.normal()));
}

/** Batch-norm statistics and affine weights far from their initial values, so folding matters. */
function randomiseBatchNorms(model: tf.LayersModel): void {
  const random = createRandom(3);
  for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
    const [gamma, beta, mean, variance] = layer.getWeights().map((w) => w.shape[0]);
    const vec = (n: number, f: () => number) => tf.tensor1d(Float32Array.from({ length: n }, f));
    layer.setWeights([
      vec(gamma, () => random.uniform(0.5, 2)),
      vec(beta, () => random.normal()),
      vec(mean, () => random.normal()),
      vec(variance, () => random.uniform(0.2, 3)),
    ]);
  }
}

function predicted(model: tf.LayersModel, x: Float32Array[]): Float32Array[] {
  return tf.tidy(() => {
    const batch = tf.stack(x.map((v) => tf.tensor3d(v, [shape.nMels, shape.frames, 1])));
    const probs = (model.predict(batch) as tf.Tensor).arraySync() as number[][];
    return probs.map((p) => Float32Array.from(p));
  });
}

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

describe('inference with batch norm folded into the convolutions', () => {
  it('matches model.predict on the baseline architecture', () => {
    const model = buildModel(shape);
    randomiseBatchNorms(model);
    const x = inputs(7, 1, shape.nMels * shape.frames);
    const batchNormCalls = model.layers.filter((l) => l.getClassName() === 'BatchNormalization').map((l) => vi.spyOn(l, 'call'));
    const fast = predictBatch(model, x, 4);
    for (const spy of batchNormCalls) expect(spy).not.toHaveBeenCalled(); // folded, not run
    batchNormCalls.forEach((spy) => spy.mockRestore());
    const reference = predicted(model, x);
    fast.forEach((p, i) => p.forEach((v, j) => expect(v).toBeCloseTo(reference[i][j], 5)));
    model.dispose();
  });

  it('keeps its folded weights between calls and refolds them when the weights change', () => {
    const model = buildModel(shape);
    const x = inputs(3, 2, shape.nMels * shape.frames);
    predictBatch(model, x, 1);
    const held = tf.memory().numTensors;
    predictBatch(model, x, 1);
    expect(tf.memory().numTensors).toBe(held);
    randomiseBatchNorms(model); // after the first fold: a stale cache would still use the old statistics
    const withNewWeights = tf.memory().numTensors;
    const fast = predictBatch(model, x, 1);
    expect(tf.memory().numTensors).toBe(withNewWeights); // the stale folded weights were freed
    const reference = predicted(model, x);
    fast.forEach((p, i) => p.forEach((v, j) => expect(v).toBeCloseTo(reference[i][j], 5)));
    model.dispose();
  });

  it('runs a model that is not a plain chain through model.predict', () => {
    const input = tf.input({ shape: [4, 4, 1] });
    const a = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
    const b = tf.layers.conv2d({ filters: 2, kernelSize: 1 }).apply(input) as tf.SymbolicTensor;
    const merged = tf.layers.add().apply([a, b]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: tf.layers.flatten().apply(merged) as tf.SymbolicTensor });
    const x = tf.randomNormal([2, 4, 4, 1]);
    const viaForward = tf.tidy(() => inferenceForward(model)(x).arraySync());
    const viaPredict = tf.tidy(() => (model.predict(x) as tf.Tensor).arraySync());
    expect(viaForward).toEqual(viaPredict);
    tf.dispose([x]);
    model.dispose();
  });
});
