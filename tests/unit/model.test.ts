import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../../electron/ml/backend.ts';
import { predictBatch } from '../../electron/ml/infer.ts';
import { untrainedMetadata } from '../../electron/ml/metadata.ts';
import { buildModel, compileModel } from '../../electron/ml/model.ts';
import { ModelLoadError, loadModel, saveModel } from '../../electron/ml/model-store.ts';
import { trainOnBatch } from '../../electron/ml/train-step.ts';
import { createRandom } from '../../electron/shared/random.ts';

const SIZE = 128 * 130;
let dir: string;

function inputs(n: number, seed: number): Float32Array[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => Float32Array.from({ length: SIZE }, () => random.normal()));
}

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
  dir = mkdtempSync(join(tmpdir(), 'ser-model-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the baseline CNN', () => {
  it('has 423,688 parameters in the published layer order', () => {
    const model = buildModel();
    expect(model.countParams()).toBe(423_688);
    const kinds = model.layers.map((l) => l.getClassName());
    const block = ['Conv2D', 'BatchNormalization', 'ReLU', 'MaxPooling2D'];
    expect(kinds).toEqual([
      'InputLayer',
      ...block,
      ...block,
      ...block,
      ...block,
      'GlobalAveragePooling2D',
      'Dropout',
      'Dense',
      'Dropout',
      'Dense',
    ]);
    const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.getConfig());
    expect(convs.map((c) => c.filters)).toEqual([32, 64, 128, 256]);
    expect(convs.every((c) => JSON.stringify(c.kernelSize) === '[3,3]' && c.padding === 'same')).toBe(true);
    const dropouts = model.layers.filter((l) => l.getClassName() === 'Dropout').map((l) => l.getConfig().rate);
    expect(dropouts).toEqual([0.6, 0.4]);
    expect(model.inputs[0].shape).toEqual([null, 128, 130, 1]);
    expect(model.outputs[0].shape).toEqual([null, 8]);
    model.dispose();
  });

  it('gives a probability distribution per input and frees its tensors', () => {
    const model = buildModel();
    predictBatch(model, inputs(1, 1)); // the first call folds and keeps the model's inference weights
    const before = tf.memory().numTensors;
    const probs = predictBatch(model, inputs(5, 1), 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(probs).toHaveLength(5);
    for (const p of probs) {
      expect(p).toHaveLength(8);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    model.dispose();
  });
});

describe('model folders', () => {
  it('round-trip weights and metadata exactly', async () => {
    const model = buildModel();
    const target = join(dir, 'roundtrip');
    await saveModel(model, target, untrainedMetadata('roundtrip'));
    const loaded = await loadModel(target);
    expect(loaded.metadata.name).toBe('roundtrip');
    expect(loaded.metadata.trained).toBe(false);
    const x = inputs(3, 2);
    expect(predictBatch(loaded.model, x)).toEqual(predictBatch(model, x));
    model.dispose();
    loaded.model.dispose();
  });

  describe('refuse a broken folder with a message naming it and the reason', () => {
    let good: string;
    beforeAll(async () => {
      good = join(dir, 'good');
      const model = buildModel();
      await saveModel(model, good, untrainedMetadata('good'));
      model.dispose();
    });
    const broken = (name: string, damage: (d: string) => void) => {
      const d = join(dir, name);
      cpSync(good, d, { recursive: true });
      damage(d);
      return d;
    };
    it.each([
      ['missing weights', (d: string) => rmSync(join(d, 'weights.bin')), /weights\.bin is missing/],
      ['not a model at all', (d: string) => rmSync(d, { recursive: true }), /model\.json is missing/],
      ['bad JSON', (d: string) => writeFileSync(join(d, 'metadata.json'), '{'), /metadata\.json is not valid JSON/],
      ['truncated weights', (d: string) => truncateSync(join(d, 'weights.bin'), 1000), /weights\.bin has 1000 bytes/],
      [
        'labels that do not match the outputs',
        (d: string) => {
          const m = JSON.parse(readFileSync(join(d, 'metadata.json'), 'utf8'));
          writeFileSync(join(d, 'metadata.json'), JSON.stringify({ ...m, labels: ['a', 'b', 'c'] }));
        },
        /8 outputs but metadata\.json lists 3 labels/,
      ],
      [
        'metadata of another format',
        (d: string) => writeFileSync(join(d, 'metadata.json'), JSON.stringify({ format: 'other' })),
        /metadata\.json is invalid: format/,
      ],
    ])('%s', async (name, damage, message) => {
      const d = broken(name.replace(/ /g, '-'), damage);
      const error = await loadModel(d).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelLoadError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message.startsWith(d)).toBe(true);
    });
  });
});

describe('training on the wasm backend', () => {
  it('lowers the loss of the full model on a separable problem (needs the custom gradient kernels)', async () => {
    const model = compileModel(buildModel({ numClasses: 2 }));
    const random = createRandom(7);
    const n = 16;
    const labels = Array.from({ length: n }, (_, i) => i % 2);
    // Class 1 has a bright band in the upper mels; class 0 does not.
    const x = new Float32Array(n * SIZE);
    for (let i = 0; i < n; i++) {
      for (let m = 0; m < 128; m++) {
        for (let t = 0; t < 130; t++) x[i * SIZE + m * 130 + t] = random.normal() * 0.5 + (labels[i] === 1 && m > 90 ? 2 : 0);
      }
    }
    const batch = tf.tensor4d(x, [n, 128, 130, 1]);
    const first = await trainOnBatch(model, batch, labels);
    let last = first;
    for (let step = 0; step < 4; step++) last = await trainOnBatch(model, batch, labels);
    expect(last.loss).toBeLessThan(first.loss * 0.5);
    batch.dispose();
    model.dispose();
  });
});
