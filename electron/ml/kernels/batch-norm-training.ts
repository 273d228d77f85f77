/**
 * Batch normalisation in training mode as one op with an analytic gradient, for the wasm backend.
 *
 * tfjs-layers builds it from moments() + FusedBatchNorm; differentiating that graph takes ~25
 * full-size passes (Tile, Sum via transposes, broadcasts of ones) and was ~60% of a wasm training
 * step. Here the forward is two passes (per-channel sums, then normalise) and the backward two
 * (per-channel sums of dy and dy·x, then dx), run where the neighbouring XNNPACK kernels put the
 * data (simd/channel-passes.ts: WebAssembly SIMD, or JS loops), with sums totalled in float64.
 *
 * Op: SerBatchNormTraining(x [..., C], gamma [C], beta [C]; epsilon) → y, mean [C], variance [C]
 * (biased variance, as tf.moments). Its gradient takes upstream gradients for all three outputs,
 * so mean and variance may feed into a loss too.
 */
import {
  engine,
  getKernel,
  registerGradient,
  registerKernel,
  type GradConfig,
  type KernelConfig,
  type KernelFunc,
  type Tensor,
  type TensorInfo,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { channelPasses } from './simd/channel-passes.ts';
import { WASM } from './wasm-kernel.ts';

export const BATCH_NORM_TRAINING = 'SerBatchNormTraining';
const BATCH_NORM_TRAINING_GRAD = 'SerBatchNormTrainingGrad';

interface Stats {
  channels: number;
  /** Elements per channel (N·H·W). */
  count: number;
}

function statsOf(x: TensorInfo): Stats {
  const channels = x.shape[x.shape.length - 1];
  return { channels, count: x.shape.reduce((a, b) => a * b, 1) / channels };
}

function f32(backend: BackendWasm, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

const forward: KernelFunc = ({ inputs, backend: b, attrs = {} }) => {
  const backend = b as BackendWasm;
  const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
  const epsilon = attrs.epsilon as number;
  const { channels: C, count } = statsOf(x);
  // Allocate first: growing the heap may replace its buffer, so views are taken afterwards.
  const y = backend.makeOutput(x.shape, 'float32');
  const mean = backend.makeOutput([C], 'float32');
  const variance = backend.makeOutput([C], 'float32');
  const passes = channelPasses(backend);
  const { sumA: sum, sumAB: sumSq } = passes.sums(x, x, C);
  const g = f32(backend, gamma);
  const bt = f32(backend, beta);
  const scale = new Float32Array(C);
  const shift = new Float32Array(C);
  const meanV = f32(backend, mean);
  const varV = f32(backend, variance);
  for (let c = 0; c < C; c++) {
    const m = sum[c] / count;
    const v = Math.max(0, sumSq[c] / count - m * m);
    meanV[c] = m;
    varV[c] = v;
    scale[c] = g[c] / Math.sqrt(v + epsilon);
    shift[c] = bt[c] - m * scale[c];
  }
  passes.affine(x, x, y, C, scale, new Float32Array(C), shift);
  return [y, mean, variance];
};

/**
 * With x̂ = (x − μ)·s, s = 1/√(σ²+ε), M elements per channel:
 *   dβ = Σdy, dγ = s·Σdy·(x − μ)
 *   dx = γs·(dy − Σdy/M − x̂·s·Σdy(x − μ)/M) + dμ/M + dσ²·2(x − μ)/M
 * which is dx = A·dy + K·(x − μ) + D per channel.
 */
const backward: KernelFunc = ({ inputs, backend: b, attrs = {} }) => {
  const backend = b as BackendWasm;
  const { dy, x, gamma, mean, variance, dMean, dVariance } = inputs as Record<string, TensorInfo>;
  const epsilon = attrs.epsilon as number;
  const { channels: C, count } = statsOf(x);
  const dx = backend.makeOutput(x.shape, 'float32');
  const dGamma = backend.makeOutput([C], 'float32');
  const dBeta = backend.makeOutput([C], 'float32');
  const passes = channelPasses(backend);
  const { sumA: sumDy, sumAB: sumDyX } = passes.sums(dy, x, C);
  const g = f32(backend, gamma);
  const mu = f32(backend, mean);
  const vr = f32(backend, variance);
  const dMu = f32(backend, dMean);
  const dVr = f32(backend, dVariance);
  const A = new Float32Array(C);
  const K = new Float32Array(C);
  const D = new Float32Array(C);
  const dGammaV = f32(backend, dGamma);
  const dBetaV = f32(backend, dBeta);
  for (let c = 0; c < C; c++) {
    const s = 1 / Math.sqrt(vr[c] + epsilon);
    const sumDyCentred = sumDyX[c] - mu[c] * sumDy[c];
    dBetaV[c] = sumDy[c];
    dGammaV[c] = s * sumDyCentred;
    A[c] = g[c] * s;
    K[c] = (-g[c] * s * s * s * sumDyCentred + 2 * dVr[c]) / count;
    // dx = A·dy + K·x + (D − K·μ): fold the constant so the loop does two multiply-adds.
    D[c] = (-A[c] * sumDy[c] + dMu[c]) / count - K[c] * mu[c];
  }
  passes.affine(dy, x, dx, C, A, K, D);
  return [dx, dGamma, dBeta];
};

const gradient: GradConfig = {
  kernelName: BATCH_NORM_TRAINING,
  inputsToSave: ['x', 'gamma'],
  outputsToSave: [false, true, true],
  gradFunc: (dys, saved, attrs) => {
    const [dy, dMean, dVariance] = dys as Tensor[];
    const [x, gamma, mean, variance] = saved;
    const [dx, dGamma, dBeta] = engine().runKernel(
      BATCH_NORM_TRAINING_GRAD,
      { dy, x, gamma, mean, variance, dMean, dVariance },
      attrs,
    ) as Tensor[];
    return { x: () => dx, gamma: () => dGamma, beta: () => dBeta };
  },
};

const kernels: KernelConfig[] = [
  { kernelName: BATCH_NORM_TRAINING, backendName: WASM, kernelFunc: forward },
  { kernelName: BATCH_NORM_TRAINING_GRAD, backendName: WASM, kernelFunc: backward },
];

/** Registers the op's wasm kernels and gradient. Idempotent. */
export function registerBatchNormTrainingWasm(): void {
  if (getKernel(BATCH_NORM_TRAINING, WASM) !== undefined) return;
  for (const k of kernels) registerKernel(k);
  registerGradient(gradient);
}

/** Whether the active backend can run the fused op (otherwise use tfjs' moments + batchNorm). */
export function batchNormTrainingAvailable(): boolean {
  return getKernel(BATCH_NORM_TRAINING, engine().backendName) !== undefined;
}

/** Batch-normalises x over all but its last axis; returns [y, mean, variance]. */
export function batchNormTraining(x: Tensor, gamma: Tensor, beta: Tensor, epsilon: number): [Tensor, Tensor, Tensor] {
  return engine().runKernel(BATCH_NORM_TRAINING, { x, gamma, beta }, { epsilon }) as [Tensor, Tensor, Tensor];
}
