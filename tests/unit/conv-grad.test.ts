import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../electron/ml/backend.ts';
import { createRandom } from '../../electron/shared/random.ts';

interface Case {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  k: number;
  stride: number;
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { n: 1, h: 6, w: 7, cin: 1, cout: 2, k: 3, stride: 1, pad: 'same' },
  { n: 2, h: 7, w: 6, cin: 3, cout: 4, k: 3, stride: 1, pad: 'valid' },
  { n: 2, h: 8, w: 9, cin: 3, cout: 2, k: 3, stride: 2, pad: 'same' },
  { n: 1, h: 9, w: 8, cin: 2, cout: 3, k: 3, stride: 2, pad: 'valid' },
  { n: 2, h: 5, w: 5, cin: 3, cout: 2, k: 1, stride: 1, pad: 'same' },
  { n: 2, h: 16, w: 13, cin: 4, cout: 8, k: 3, stride: 1, pad: 'same' },
  { n: 1, h: 6, w: 5, cin: 1, cout: 3, k: 1, stride: 2, pad: 'same' },
  // Large enough for XNNPACK to tile the inner convolution in both directions.
  { n: 5, h: 48, w: 48, cin: 3, cout: 4, k: 3, stride: 1, pad: 'same' },
  // Stride 1 with no more filter taps (k·k·cin) than output channels: the filter gradient as taps × dy.
  { n: 2, h: 10, w: 9, cin: 1, cout: 12, k: 3, stride: 1, pad: 'same' },
  { n: 2, h: 8, w: 11, cin: 1, cout: 9, k: 3, stride: 1, pad: 'valid' },
  { n: 3, h: 20, w: 17, cin: 2, cout: 18, k: 3, stride: 1, pad: 'same' },
  { n: 2, h: 6, w: 7, cin: 3, cout: 4, k: 1, stride: 1, pad: 'valid' },
];

function data(size: number, seed: number): Float64Array {
  const random = createRandom(seed);
  return Float64Array.from({ length: size }, () => random.uniform(-1, 1));
}

/** tfjs' 'same' padding: total = max((out-1)*stride + k - in, 0), the extra pixel at the end. */
function padBefore(size: number, c: Case): number {
  if (c.pad === 'valid') return 0;
  const out = Math.ceil(size / c.stride);
  return Math.floor(Math.max((out - 1) * c.stride + c.k - size, 0) / 2);
}

function outSize(size: number, c: Case): number {
  return c.pad === 'same' ? Math.ceil(size / c.stride) : Math.floor((size - c.k) / c.stride) + 1;
}

/** sum(conv2d(x, w) * r) in float64: the scalar whose gradient w.r.t. w is checked. */
function objective(c: Case, x: Float64Array, w: Float64Array, r: Float64Array): number {
  const oh = outSize(c.h, c);
  const ow = outSize(c.w, c);
  const pt = padBefore(c.h, c);
  const pl = padBefore(c.w, c);
  let total = 0;
  for (let n = 0; n < c.n; n++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let co = 0; co < c.cout; co++) {
          let acc = 0;
          for (let a = 0; a < c.k; a++)
            for (let b = 0; b < c.k; b++) {
              const y = i * c.stride + a - pt;
              const z = j * c.stride + b - pl;
              if (y < 0 || y >= c.h || z < 0 || z >= c.w) continue;
              for (let ci = 0; ci < c.cin; ci++) {
                acc += x[((n * c.h + y) * c.w + z) * c.cin + ci] * w[((a * c.k + b) * c.cin + ci) * c.cout + co];
              }
            }
          total += acc * r[((n * oh + i) * ow + j) * c.cout + co];
        }
  return total;
}

function numericGradient(c: Case, x: Float64Array, w: Float64Array, r: Float64Array): Float64Array {
  const eps = 1e-3;
  const grad = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const saved = w[i];
    w[i] = saved + eps;
    const up = objective(c, x, w, r);
    w[i] = saved - eps;
    const down = objective(c, x, w, r);
    w[i] = saved;
    grad[i] = (up - down) / (2 * eps);
  }
  return grad;
}

/** dW and dx of sum(conv2d(x, w) * r) on the named backend. */
async function tfGradients(backend: string, c: Case, x: Float64Array, w: Float64Array, r: Float64Array) {
  await tf.setBackend(backend);
  const xt = tf.tensor4d(Float32Array.from(x), [c.n, c.h, c.w, c.cin]);
  const wt = tf.tensor4d(Float32Array.from(w), [c.k, c.k, c.cin, c.cout]);
  const rt = tf.tensor4d(Float32Array.from(r), [c.n, outSize(c.h, c), outSize(c.w, c), c.cout]);
  const f = (xv: tf.Tensor, wv: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xv as tf.Tensor4D, wv as tf.Tensor4D, c.stride, c.pad), rt));
  const [dx, dw] = tf.grads(f)([xt, wt]);
  const out = { dx: Float64Array.from(await dx.data()), dw: Float64Array.from(await dw.data()) };
  tf.dispose([xt, wt, rt, dx, dw]);
  return out;
}

function relativeError(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i] - b[i]) ** 2;
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  return Math.sqrt(diff) / Math.max(Math.sqrt(na), Math.sqrt(nb), 1e-12);
}

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
});

describe("the wasm backend's convolution gradients", () => {
  it('runs on wasm, which has our Conv2DBackpropFilter kernel registered', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it.each(CASES)('match a float64 central difference and the cpu backend: %j', async (c) => {
    const seed = c.h * 100 + c.w * 10 + c.cin;
    const x = data(c.n * c.h * c.w * c.cin, seed);
    const w = data(c.k * c.k * c.cin * c.cout, seed + 1);
    const r = data(c.n * outSize(c.h, c) * outSize(c.w, c) * c.cout, seed + 2);
    const numeric = numericGradient(c, x, w, r);
    const wasm = await tfGradients('wasm', c, x, w, r);
    const cpu = await tfGradients('cpu', c, x, w, r);
    await tf.setBackend('wasm');
    expect(relativeError(wasm.dw, numeric)).toBeLessThanOrEqual(1e-3);
    expect(relativeError(wasm.dw, cpu.dw)).toBeLessThanOrEqual(1e-3);
    expect(relativeError(wasm.dx, cpu.dx)).toBeLessThanOrEqual(1e-3);
  });

  it('free every intermediate buffer (backend data ids before = after)', async () => {
    const c = CASES[CASES.length - 1];
    const x = data(c.n * c.h * c.w * c.cin, 1);
    const w = data(c.k * c.k * c.cin * c.cout, 2);
    const r = data(c.n * outSize(c.h, c) * outSize(c.w, c) * c.cout, 3);
    await tfGradients('wasm', c, x, w, r); // warm-up: first calls may cache state
    const before = tf.engine().backend.numDataIds();
    await tfGradients('wasm', c, x, w, r);
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });

  it('filter gradient honours dilations (TensorFlow defines them; tfjs never passes them)', () => {
    const c: Case = { n: 2, h: 9, w: 10, cin: 2, cout: 3, k: 3, stride: 1, pad: 'same' };
    const dilation = 2;
    const x = data(c.n * c.h * c.w * c.cin, 11);
    const w = data(c.k * c.k * c.cin * c.cout, 12);
    const r = data(c.n * c.h * c.w * c.cout, 13); // 'same', stride 1: output size = input size
    // Central difference of sum(conv2d(x, w, dilation 2) * r), through tfjs' own float32 forward.
    const xt = tf.tensor4d(Float32Array.from(x), [c.n, c.h, c.w, c.cin]);
    const dy = tf.tensor4d(Float32Array.from(r), [c.n, c.h, c.w, c.cout]);
    // Central difference of sum(conv2d(x, w, dilation 2) * r), through tfjs' own float32 forward.
    const objective = (wv: Float64Array) => {
      const y = tf.tidy(() => tf.sum(tf.mul(tf.conv2d(xt, tf.tensor4d(Float32Array.from(wv), [c.k, c.k, c.cin, c.cout]), 1, 'same', 'NHWC', dilation), dy)));
      const value = y.dataSync()[0];
      y.dispose();
      return value;
    };
    const eps = 1e-2; // the objective is linear in w: a large step only lowers float32 noise
    const numeric = Float64Array.from(w, (v, i) => {
      const up = Float64Array.from(w);
      const down = Float64Array.from(w);
      up[i] = v + eps;
      down[i] = v - eps;
      return (objective(up) - objective(down)) / (2 * eps);
    });
    const grad = tf.engine().runKernel(
      'Conv2DBackpropFilter',
      { x: xt, dy },
      { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [c.k, c.k, c.cin, c.cout], dilations: dilation },
    ) as tf.Tensor;
    const dw = Float64Array.from(grad.dataSync());
    tf.dispose([xt, dy, grad]);
    expect(relativeError(dw, numeric)).toBeLessThanOrEqual(1e-3);
  });
});
