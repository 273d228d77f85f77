/**
 * Training end to end on generated clips (tones in two bands and white noise, 32x32 log-mels):
 * the engine learns them, measures itself honestly, keeps memory flat, stops early on the best
 * epoch, survives cancel and resume in its worker, records the run, and fine-tunes with a new head.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../electron/ml/backend.ts';
import { clipFeatures } from '../../electron/ml/clip-features.ts';
import { evaluatePredictions } from '../../electron/ml/evaluate.ts';
import { predictClips } from '../../electron/ml/evaluate-model.ts';
import { FeatureCache } from '../../electron/ml/feature-cache.ts';
import { balancedClassWeights, fit, setWeights, type FitState } from '../../electron/ml/fit.ts';
import { readCheckpoint } from '../../electron/ml/checkpoint.ts';
import { buildModel } from '../../electron/ml/model.ts';
import { loadModel } from '../../electron/ml/model-store.ts';
import { seedKernels } from '../../electron/ml/seeded-init.ts';
import { checkpointDirOf, runTraining, type TrainingConfig, type TrainingResult } from '../../electron/ml/train.ts';
import { prepareTrainingData, TrainingDataError } from '../../electron/ml/training-data.ts';
import { startTraining } from '../../electron/ml/training-job.ts';
import { getTrainingRun, listModels, openStore } from '../../electron/store/index.ts';
import { TOY_FEATURES, writeToyDataset, type ToyDataset } from '../helpers/toy-data.ts';

let dir: string;
let toy: ToyDataset;
let base: TrainingResult;
const tensorsAfterEpoch: number[] = [];

const config = (overrides: Partial<TrainingConfig>): TrainingConfig => ({
  data: { csv: toy.csv },
  split: { protocol: 'random', seed: 1, validationFraction: 0.2, testFraction: 0.2 },
  out: join(dir, 'model'),
  seed: 1,
  epochs: 12,
  patience: 4,
  augment: 1,
  features: TOY_FEATURES,
  minClipsPerLabel: 10,
  cacheDir: join(dir, 'cache'),
  ...overrides,
});

/** The model's accuracy on freshly generated clips it has never seen (another seed). */
async function accuracyOnNewClips(modelDir: string, classes: readonly ('low' | 'high' | 'noise')[]): Promise<number> {
  const fresh = writeToyDataset(join(dir, `fresh-${classes.join('-')}`), { classes, clipsPerClass: 10, seed: 99 });
  const { model, metadata } = await loadModel(modelDir);
  const data = await prepareTrainingData({ data: { csv: fresh.csv }, labels: metadata.labels, minClipsPerLabel: 0 });
  const inputs = await clipFeatures(data.items, new FeatureCache(join(dir, 'cache')), { settings: metadata.features, window: 'first' }, () => [null]);
  const evaluation = evaluatePredictions(metadata.labels, predictClips(model, metadata.labels, data.items, inputs.map((c) => c[0])));
  model.dispose();
  return evaluation.accuracy;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ser-train-'));
  toy = writeToyDataset(join(dir, 'data'), { classes: ['low', 'high', 'noise'], clipsPerClass: 12 });
  base = await runTraining(config({ db: join(dir, 'workspace.db') }), {
    onEvent: (e) => {
      if (e.type === 'epoch') tensorsAfterEpoch.push(tf.memory().numTensors);
    },
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('training on generated clips', () => {
  it('learns the toy task: held-out test clips and new clips are classified well above chance', async () => {
    expect(base.status).toBe('completed');
    expect(base.test?.clips).toBe(6); // round(20% of 12) = 2 of each class
    expect(base.validation?.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(base.test?.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(await accuracyOnNewClips(join(dir, 'model'), ['low', 'high', 'noise'])).toBeGreaterThanOrEqual(0.9);
  });

  it('saves a trained model whose metadata records labels, features, split, history and figures', async () => {
    const { model, metadata } = await loadModel(join(dir, 'model'));
    model.dispose();
    expect(metadata.trained).toBe(true);
    expect(metadata.labels).toEqual(['high', 'low', 'noise']);
    expect(metadata.features).toEqual(TOY_FEATURES);
    expect(metadata.inputShape).toEqual([32, 32, 1]);
    const metrics = metadata.metrics as Record<string, unknown> & { history: unknown[]; split: { clips: { train: Record<string, number> } } };
    expect(metrics.history).toHaveLength(base.history.length);
    expect(metrics.split.clips.train).toEqual({ high: 8, low: 8, noise: 8 });
    expect(metrics.test_accuracy).toBeCloseTo(base.test!.accuracy, 4);
    expect(existsSync(checkpointDirOf(join(dir, 'model')))).toBe(false);
  });

  it('keeps the tensor count flat from epoch to epoch', () => {
    expect(tensorsAfterEpoch.length).toBeGreaterThan(2);
    expect(new Set(tensorsAfterEpoch).size).toBe(1);
  });

  it('records the run and registers the model in the store', () => {
    const db = openStore(join(dir, 'workspace.db'));
    try {
      const run = getTrainingRun(db, base.runId!);
      expect(run?.status).toBe('completed');
      expect(run?.history.map((h) => h.epoch)).toEqual(base.history.map((h) => h.epoch));
      const [model] = listModels(db);
      expect(model.id).toBe(run?.modelId);
      expect(model.labels).toEqual(['high', 'low', 'noise']);
      expect(model.metrics?.confusion).toEqual(base.test?.confusion);
    } finally {
      db.close();
    }
  });

  it('refuses classes with fewer clips than the minimum', async () => {
    await expect(runTraining(config({ minClipsPerLabel: 20, out: join(dir, 'refused') }))).rejects.toThrow(TrainingDataError);
    await expect(runTraining(config({ minClipsPerLabel: 20, out: join(dir, 'refused') }))).rejects.toThrow(/high 12, low 12, noise 12/);
  });
});

describe('the training loop', () => {
  it('stops early and restores the weights of the epoch with the lowest validation loss', async () => {
    await initBackend();
    // Validation labels are the opposite of training's, so validation loss rises as training learns.
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, activation: 'softmax' })] });
    seedKernels(model, 3);
    const inputs = Array.from({ length: 64 }, (_, i) => Float32Array.of(i % 2, 1 - (i % 2)));
    const labels = inputs.map((x) => x[0]);
    let best: FitState | undefined;
    const result = await fit(model, { inputs, labels }, { inputs, labels: labels.map((y) => 1 - y) }, {
      epochs: 30,
      patience: 2,
      batchSize: 8,
      learningRate: 0.05,
      classWeights: balancedClassWeights(labels, 2),
      seed: 1,
      onEpoch: (_, state) => {
        if (state.bestEpoch === state.history.length) best = state;
      },
    });
    expect(result.bestEpoch).toBe(1);
    expect(result.stoppedBy).toBe('early-stopping');
    expect(result.history).toHaveLength(3);
    expect(result.history[2].valLoss).toBeGreaterThan(result.history[0].valLoss);
    expect(model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(best!.bestWeights.map((w) => Array.from(w)));
    model.dispose();
  });

  it('resumes where it stopped, Adam’s moments included: two epochs, then two more, equal four in one go', async () => {
    await initBackend();
    // No dropout or batch norm: the steps are deterministic, so the weights can be compared exactly. Named
    // layers: the seeded initial kernels are drawn per weight name.
    const newModel = () => {
      const model = tf.sequential({
        layers: [tf.layers.dense({ name: 'hidden', inputShape: [3], units: 4, activation: 'relu' }), tf.layers.dense({ name: 'out', units: 3, activation: 'softmax' })],
      });
      seedKernels(model, 7);
      return model;
    };
    const inputs = Array.from({ length: 40 }, (_, i) => Float32Array.of(Math.sin(i), Math.cos(3 * i), (i % 3) - 1));
    const labels = inputs.map((_, i) => i % 3);
    const train = (model: tf.LayersModel, epochs: number, resume?: FitState) => {
      const states: FitState[] = [];
      const run = fit(model, { inputs, labels }, { inputs, labels }, {
        epochs,
        patience: 10,
        batchSize: 8,
        learningRate: 0.01,
        classWeights: [1, 1, 1],
        seed: 3,
        resume,
        onEpoch: (_, state) => void states.push(state),
      });
      return run.then(() => states);
    };
    const weights = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));

    const straight = newModel();
    await train(straight, 4);
    const interrupted = newModel();
    const [, afterTwo] = await train(interrupted, 2);
    expect(afterTwo.optimizer?.[0]).toMatchObject({ name: 'iter', values: Float32Array.of(10) }); // 2 epochs of 5 batches
    // A checkpoint holds the last epoch's weights (setWeights, as readCheckpoint's model has them) and the state.
    const lastWeights = interrupted.getWeights().map((w) => w.dataSync().slice() as Float32Array);
    const resumed = newModel();
    setWeights(resumed, lastWeights);
    const laterStates = await train(resumed, 4, afterTwo);
    expect(laterStates.map((s) => s.optimizer?.[0].values[0])).toEqual([15, 20]);
    // toBeCloseTo: the same arithmetic, but a different wasm heap layout may order a sum differently.
    weights(resumed).flat().forEach((v, i) => expect(v).toBeCloseTo(weights(straight).flat()[i], 6));

    // Without the moments, Adam restarts: the run ends somewhere else.
    const restarted = newModel();
    setWeights(restarted, lastWeights);
    await train(restarted, 4, { ...afterTwo, optimizer: undefined });
    const gap = Math.max(...weights(restarted).flat().map((v, i) => Math.abs(v - weights(straight).flat()[i])));
    expect(gap).toBeGreaterThan(1e-3);
    [straight, interrupted, resumed, restarted].forEach((m) => m.dispose());
  });

  it('computes balanced class weights as scikit-learn does', () => {
    // compute_class_weight('balanced', classes=[0,1,2], y=[0,0,0,0,1,1,2,2]) = 8 / (3 * [4, 2, 2])
    expect(balancedClassWeights([0, 0, 0, 0, 1, 1, 2, 2], 3)).toEqual([8 / 12, 8 / 6, 8 / 6]);
    expect(() => balancedClassWeights([0, 0], 2)).toThrow(/class 1 has no training examples/);
  });

  it('starts from the same weights for the same seed', () => {
    const weights = (seed: number) => {
      const model = buildModel({ nMels: 16, frames: 16, numClasses: 3 });
      expect(seedKernels(model, seed)).toEqual([]);
      const values = model.getWeights().map((w) => Array.from(w.dataSync()));
      model.dispose();
      return values;
    };
    expect(weights(5)).toEqual(weights(5));
    expect(weights(5)[0]).not.toEqual(weights(6)[0]);
  });
});

describe('a training job in its worker', () => {
  it('cancels keeping a usable best model, then resumes from the checkpoint to the end', async () => {
    const out = join(dir, 'cancelled');
    const job = startTraining(config({ out, epochs: 4, patience: 4 }), {
      onEvent: (e) => {
        if (e.type === 'epoch' && e.epoch === 2) job.cancel();
      },
    });
    const cancelled = await job.result;
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.history).toHaveLength(2);
    expect(cancelled.test).not.toBeNull();
    const { model, metadata } = await loadModel(out);
    model.dispose();
    expect(metadata.provenance.notes).toMatch(/cancelled/);
    expect(existsSync(checkpointDirOf(out))).toBe(true);
    // The checkpoint keeps Adam's step count and a first and second moment per trainable weight.
    const checkpoint = await readCheckpoint(checkpointDirOf(out));
    const trainable = checkpoint!.model.trainableWeights;
    expect(checkpoint!.state.optimizer?.map((v) => v.name)).toEqual(['iter', ...trainable.map(() => expect.stringMatching(/\/m$/)), ...trainable.map(() => expect.stringMatching(/\/v$/))]);
    const examples = 2 * Object.values(cancelled.split.clips.train).reduce((a, b) => a + b, 0); // each clip and its one augmented copy
    expect(checkpoint!.state.optimizer?.[0].values[0]).toBe(2 * Math.ceil(examples / 32));
    expect(checkpoint!.state.optimizer?.slice(1, 1 + trainable.length).map((v) => v.shape)).toEqual(trainable.map((w) => w.shape));
    checkpoint!.model.dispose();

    const resumed = await startTraining(config({ out, epochs: 4, patience: 4, resume: true })).result;
    expect(resumed.status).toBe('completed');
    expect(resumed.history.slice(0, 2)).toEqual(cancelled.history);
    expect(resumed.history).toHaveLength(4);
    expect(existsSync(checkpointDirOf(out))).toBe(false);
  });
});

describe('fine-tuning', () => {
  it('replaces the head for a new label set and, with a frozen base, keeps the convolutional weights', async () => {
    const out = join(dir, 'tuned');
    const tuned = await runTraining(config({ out, labels: ['noise', 'low'], base: join(dir, 'model'), freezeBase: true, epochs: 8, seed: 2 }));
    expect(tuned.notes.some((n) => /new output layer for 2 labels/.test(n))).toBe(true);
    const [before, after] = [await loadModel(join(dir, 'model')), await loadModel(out)];
    expect(after.metadata.labels).toEqual(['noise', 'low']);
    expect(after.model.outputs[0].shape).toEqual([null, 2]);
    const kernel = (m: tf.LayersModel) => Array.from(m.layers.find((l) => l.getWeights().length > 0)!.getWeights()[0].dataSync());
    expect(kernel(after.model)).toEqual(kernel(before.model));
    expect(after.metadata.provenance.baseModel).toMatch(/^model /);
    before.model.dispose();
    after.model.dispose();
    expect(tuned.test?.accuracy).toBeGreaterThanOrEqual(0.8);
  });
});
