/**
 * Batch norm's channel passes in WebAssembly SIMD against the JS loops, on the tensors of a real conv block's
 * shape, and the committed binaries against their source.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../electron/ml/backend.ts';
import { affineJs, channelPasses, sumsJs } from '../../electron/ml/kernels/simd/channel-passes.ts';
import * as maxPool2x2Wasm from '../../electron/ml/kernels/simd/max-pool-2x2-wasm.ts';
import { simdModule } from '../../electron/ml/kernels/simd/simd-module.ts';
import { createRandom } from '../../electron/shared/random.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

beforeAll(async () => {
  await initBackend();
});

function values(n: number, seed: number, offset = 0): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: n }, () => offset + random.normal());
}

describe('SIMD kernels', () => {
  it('run in WebAssembly SIMD on this backend, as does the pooling gradient', () => {
    expect(channelPasses(tf.backend() as BackendWasm).kind).toBe('simd');
    expect(simdModule(tf.backend() as BackendWasm, maxPool2x2Wasm)).not.toBeNull();
  });

  // 32 channels as the first conv block (SIMD); 6 channels take the JS loops.
  for (const channels of [32, 6]) {
    it(`sum and map ${channels} channels over 40,000 rows as the JS loops do`, () => {
      const backend = tf.backend() as BackendWasm;
      const rows = 40_000;
      const a = values(rows * channels, 1, 3); // an offset mean, as activations have
      const b = values(rows * channels, 2);
      const p = values(channels, 3);
      const q = values(channels, 4);
      const s = values(channels, 5);
      const ta = tf.tensor2d(a, [rows, channels]);
      const tb = tf.tensor2d(b, [rows, channels]);
      const out = tf.zeros([rows, channels]);
      try {
        const passes = channelPasses(backend);
        const got = passes.sums(ta, tb, channels);
        const want = sumsJs(a, b, channels);
        for (let c = 0; c < channels; c++) {
          expect(got.sumA[c]).toBeCloseTo(want.sumA[c], 1);
          expect(got.sumAB[c]).toBeCloseTo(want.sumAB[c], 1);
          // float32 partials over 64 rows: relative error far below what batch norm needs
          expect(Math.abs(got.sumA[c] - want.sumA[c]) / Math.abs(want.sumA[c])).toBeLessThan(1e-6);
        }
        passes.affine(ta, tb, out, channels, p, q, s);
        const expected = new Float32Array(a.length);
        affineJs(a, b, expected, channels, p, q, s);
        const result = out.dataSync();
        let worst = 0;
        for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(result[i] - expected[i]));
        expect(worst).toBeLessThan(1e-5);
      } finally {
        tf.dispose([ta, tb, out]);
      }
    });
  }

  it('are built from their .wat sources as committed (node scripts/build-simd-kernels.mjs rebuilds them)', async () => {
    const { generate, targetOf } = (await import(join(projectRoot, 'scripts', 'build-simd-kernels.mjs'))) as {
      generate(wat: string): Promise<string>;
      targetOf(wat: string): string;
    };
    const dir = join(projectRoot, 'electron', 'ml', 'kernels', 'simd');
    const sources = readdirSync(dir).filter((f) => f.endsWith('.wat'));
    expect(sources.sort()).toEqual(['batch-norm.wat', 'max-pool-2x2.wat']);
    for (const file of sources) expect(readFileSync(targetOf(join(dir, file)), 'utf8')).toBe(await generate(join(dir, file)));
  });
});
