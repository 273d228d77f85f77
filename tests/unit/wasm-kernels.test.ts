/**
 * The wasm training kernels that replace or add to tfjs' own (batch norm in training mode,
 * MaxPoolGrad, per-channel Sum, conv + bias with pruned gradients) against the pure-JS cpu backend
 * running tfjs' stock code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../electron/ml/backend.ts';
import { batchNormTraining } from '../../electron/ml/kernels/batch-norm-training.ts';
import { batchNormalization } from '../../electron/ml/layers/batch-normalization.ts';
import { conv2d } from '../../electron/ml/layers/conv2d.ts';
import { createRandom } from '../../electron/shared/random.ts';

function data(size: number, seed: number, offset = 0): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: size }, () => offset + random.normal());
}

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / scale;
}

/** Runs fn on each backend and returns its arrays. */
async function onBoth<T>(fn: () => T): Promise<{ wasm: T; cpu: T }> {
  await tf.setBackend('wasm');
  const wasm = fn();
  await tf.setBackend('cpu');
  const cpu = fn();
  await tf.setBackend('wasm');
  return { wasm, cpu };
}

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

describe('batch normalisation in training mode', () => {
  const shape: [number, number, number, number] = [3, 5, 6, 4];
  const size = shape.reduce((a, b) => a * b);
  // An offset mean makes a one-pass variance lose precision if it is computed carelessly.
  const x = data(size, 1, 3);
  const gamma = data(4, 2);
  const beta = data(4, 3);
  const r = data(size, 4);
  const q = data(4, 5);
  const u = data(4, 6);
  const epsilon = 1e-3;

  /** Σ y·r + Σ mean·q + Σ variance·u and its gradients, so every output's gradient path is used. */
  function run(fused: boolean) {
    return tf.tidy(() => {
      const f = (xv: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        let y: tf.Tensor;
        let mean: tf.Tensor;
        let variance: tf.Tensor;
        if (fused) {
          [y, mean, variance] = batchNormTraining(xv, g, b, epsilon);
        } else {
          ({ mean, variance } = tf.moments(xv, [0, 1, 2]));
          y = tf.batchNorm(xv, mean, variance, b, g, epsilon);
        }
        return tf.addN([tf.sum(tf.mul(y, tf.tensor(r, shape))), tf.sum(tf.mul(mean, tf.tensor(q))), tf.sum(tf.mul(variance, tf.tensor(u)))]);
      };
      const { value, grads } = tf.valueAndGrads(f)([tf.tensor4d(x, shape), tf.tensor1d(gamma), tf.tensor1d(beta)]);
      return { value: value.dataSync()[0], grads: grads.map((g) => g.dataSync() as Float32Array) };
    });
  }

  it('matches moments + batchNorm on the cpu backend, value and gradients', async () => {
    await tf.setBackend('wasm');
    const fused = run(true);
    await tf.setBackend('cpu');
    const stock = run(false);
    await tf.setBackend('wasm');
    expect(fused.value).toBeCloseTo(stock.value, 3);
    const [dx, dGamma, dBeta] = fused.grads;
    expect(relativeError(dx, stock.grads[0])).toBeLessThanOrEqual(1e-3);
    expect(relativeError(dGamma, stock.grads[1])).toBeLessThanOrEqual(1e-3);
    expect(relativeError(dBeta, stock.grads[2])).toBeLessThanOrEqual(1e-3);
  });

  it('the layer trains like the stock layer: same output and moving statistics', async () => {
    const weights = [gamma, beta, data(4, 7), data(4, 8).map(Math.abs)];
    const { wasm, cpu } = await onBoth(() => {
      // On wasm the fast path runs, on cpu the stock code path of the same class.
      const layer = batchNormalization({ momentum: 0.9 });
      layer.build(shape);
      layer.setWeights(weights.map((w) => tf.tensor1d(w)));
      const y = tf.tidy(() => (layer.apply(tf.tensor4d(x, shape), { training: true }) as tf.Tensor).dataSync());
      const state = layer.getWeights().map((w) => w.dataSync());
      tf.dispose(layer.getWeights());
      return [y, ...state];
    });
    wasm.forEach((values, i) => expect(relativeError(values, cpu[i])).toBeLessThanOrEqual(1e-4));
  });
});

describe('MaxPoolGrad', () => {
  it.each([
    { shape: [2, 7, 9, 3], size: 2, stride: 2, pad: 'valid' as const },
    // The model's pooling with channels in fours takes the SIMD kernel; odd sizes leave an edge out of every window.
    { shape: [2, 7, 9, 8], size: 2, stride: 2, pad: 'valid' as const },
    { shape: [1, 8, 8, 2], size: 3, stride: 2, pad: 'same' as const },
    { shape: [2, 5, 6, 4], size: 2, stride: 1, pad: 'same' as const },
  ])('matches the cpu backend: $shape, pool $size stride $stride $pad', async ({ shape, size, stride, pad }) => {
    const n = shape.reduce((a, b) => a * b);
    // ReLU-like input: many windows hold several equal maxima (zeros); the first one gets the gradient.
    const x = data(n, 9).map((v) => Math.max(0, v));
    const { wasm, cpu } = await onBoth(() =>
      tf.tidy(() => {
        const xt = tf.tensor4d(x, shape as [number, number, number, number]);
        const f = (v: tf.Tensor) => {
          const y = tf.maxPool(v as tf.Tensor4D, size, stride, pad);
          return tf.sum(tf.mul(y, tf.tensor(data(y.size, 10), y.shape)));
        };
        return tf.grad(f)(xt).dataSync();
      }),
    );
    // The same inputs receive gradient; overlapping windows may add it up in another order.
    expect(Array.from(wasm, (v) => v !== 0)).toEqual(Array.from(cpu, (v) => v !== 0));
    expect(relativeError(wasm, cpu)).toBeLessThanOrEqual(1e-6);
  });
});

describe('Sum', () => {
  const shape: [number, number, number, number] = [3, 4, 5, 6];
  const x = data(shape.reduce((a, b) => a * b), 11, 100);
  it.each([
    { axis: [0, 1, 2], keepDims: false },
    { axis: [2, 0, 1], keepDims: true },
    { axis: [1, 3], keepDims: false }, // not all leading axes: the stock kernel's case
    { axis: [3], keepDims: true },
  ])('over $axis (keepDims $keepDims) matches the cpu backend', async ({ axis, keepDims }) => {
    const { wasm, cpu } = await onBoth(() =>
      tf.tidy(() => {
        const s = tf.sum(tf.tensor4d(x, shape), axis, keepDims);
        return { shape: s.shape, values: s.dataSync() };
      }),
    );
    expect(wasm.shape).toEqual(cpu.shape);
    expect(relativeError(wasm.values, cpu.values)).toBeLessThanOrEqual(1e-6);
  });
});

describe('the Conv2D layer', () => {
  const inShape: [number, number, number, number] = [2, 7, 6, 3];
  const x = data(inShape.reduce((a, b) => a * b), 12);
  const configs = [
    { filters: 4, kernelSize: 3, padding: 'same' as const },
    { filters: 5, kernelSize: 3, padding: 'valid' as const, strides: 2 },
  ];

  /** Two stacked layers so the second one's input gradient is needed; a loss weighting every output. */
  function twoLayers(config: (typeof configs)[number]) {
    const first = conv2d({ ...config, kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }), biasInitializer: 'ones' });
    const second = conv2d({ filters: 2, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) });
    first.build(inShape);
    second.build(first.computeOutputShape(inShape));
    const loss = (input: tf.Tensor) => {
      const y = second.apply(first.apply(input)) as tf.Tensor;
      return tf.sum(tf.mul(y, tf.tensor(data(y.size, 13), y.shape)));
    };
    return { first, second, loss };
  }

  it.each(configs)('gives the stock layer’s value and weight gradients: %j', async (config) => {
    const { wasm, cpu } = await onBoth(() =>
      tf.tidy(() => {
        const { first, second, loss } = twoLayers(config);
        const input = tf.tensor4d(x, inShape);
        const { value, grads } = tf.variableGrads(() => loss(input) as tf.Scalar);
        const out = [value.dataSync(), ...Object.values(grads).map((g) => g.dataSync())];
        tf.dispose([...first.getWeights(), ...second.getWeights()]);
        return out;
      }),
    );
    expect(wasm).toHaveLength(5); // the loss, then kernel and bias of each layer
    wasm.forEach((values, i) => expect(relativeError(values, cpu[i])).toBeLessThanOrEqual(1e-4));
  });

  it('computes an input gradient only where a variable needs it', async () => {
    await tf.setBackend('wasm');
    const { first, second, loss } = twoLayers(configs[0]);
    const input = tf.tensor4d(x, inShape);
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => loss(input) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
    });
    tf.dispose([input, ...first.getWeights(), ...second.getWeights()]);
    const count = (name: string) => profile.kernels.filter((k) => k.name === name).length;
    expect(count('Conv2DBackpropFilter')).toBe(2);
    // The second layer's input is the first one's output; the first one's is the data.
    expect(count('Conv2DBackpropInput')).toBe(1);
  });
});
