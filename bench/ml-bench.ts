/**
 * Model speed per 3-s clip on the active backend: inference at batch 1 and 32, and one Adam step
 * at batch 32, for the baseline CNN on random inputs (speed does not depend on the values).
 *
 *   node bin/run-ts.mjs bench/ml-bench.ts [--quick] [--profile]
 *
 * --profile adds the time per kernel of one training step (tf.profile), to see where it goes.
 * Medians, not means: on a shared machine a single slow run says more about the neighbours.
 */
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../electron/ml/backend.ts';
import { predictBatch } from '../electron/ml/infer.ts';
import { buildModel, compileModel, DEFAULT_MODEL_SHAPE } from '../electron/ml/model.ts';
import { trainOnBatch } from '../electron/ml/train-step.ts';

export interface MlBench {
  backend: string;
  /** ms per clip, inference one clip at a time. */
  infer_ms: number;
  /** ms per clip, inference in batches of 32. */
  infer_batch_ms: number;
  /** ms per clip, one training step on a batch of 32. */
  train_ms: number;
}

const BATCH = 32;

async function median(runs: number, fn: () => unknown | Promise<unknown>): Promise<number> {
  await fn(); // warm-up: XNNPACK packs weights and tfjs compiles on first use
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function randomInputs(n: number, size: number): Float32Array[] {
  return Array.from({ length: n }, () => Float32Array.from({ length: size }, () => Math.random() * 2 - 1));
}

export async function benchMl({ quick = false, profile = false } = {}): Promise<MlBench> {
  const backend = await initBackend();
  const { nMels, frames, numClasses } = DEFAULT_MODEL_SHAPE;
  const model = compileModel(buildModel());
  const inputs = randomInputs(BATCH, nMels * frames);
  const labels = Array.from({ length: BATCH }, (_, i) => i % numClasses);
  try {
    const infer_ms = await median(quick ? 5 : 15, () => predictBatch(model, inputs.slice(0, 1)));
    const infer_batch_ms = (await median(quick ? 2 : 5, () => predictBatch(model, inputs, BATCH))) / BATCH;
    const flat = new Float32Array(BATCH * nMels * frames);
    inputs.forEach((x, i) => flat.set(x, i * x.length));
    const x = tf.tensor4d(flat, [BATCH, nMels, frames, 1]);
    try {
      const train_ms = (await median(quick ? 2 : 5, () => trainOnBatch(model, x, labels))) / BATCH;
      if (profile) await printTrainingProfile(model, x, labels);
      return { backend: backend.reason, infer_ms, infer_batch_ms, train_ms };
    } finally {
      x.dispose();
    }
  } finally {
    model.optimizer.dispose();
    model.dispose();
  }
}

async function printTrainingProfile(model: tf.LayersModel, x: tf.Tensor4D, labels: number[]): Promise<void> {
  const info = await tf.profile(async () => {
    await trainOnBatch(model, x, labels);
  });
  const byKernel = new Map<string, number>();
  // Ops that wrap a kernel (fusedConv2d__op and the like) are reported besides it: skip them.
  for (const k of info.kernels.filter((k) => !k.name.endsWith('__op'))) {
    byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (k.kernelTimeMs as number));
  }
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  console.log(`one training step, batch ${BATCH}: ${total.toFixed(0)} ms in kernels`);
  for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`  ${name.padEnd(28)} ${ms.toFixed(0).padStart(6)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)}%`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const result = await benchMl({ quick: process.argv.includes('--quick'), profile: process.argv.includes('--profile') });
  console.log(`backend: ${result.backend}`);
  console.log(`inference, batch 1:       ${result.infer_ms.toFixed(2)} ms/clip`);
  console.log(`inference, batch 32:      ${result.infer_batch_ms.toFixed(2)} ms/clip`);
  console.log(`training step, batch 32:  ${result.train_ms.toFixed(2)} ms/clip`);
  console.log(JSON.stringify(result));
}
