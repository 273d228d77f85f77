/**
 * Training calibrates on its validation clips: the temperature in the saved metadata is the one
 * that minimises the NLL of the saved model's outputs on exactly those clips, and the threshold
 * keeps the target precision on them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTemperature, temperatureNll, topOutcomes } from '../../electron/ml/calibration.ts';
import { clipFeatures } from '../../electron/ml/clip-features.ts';
import { FeatureCache } from '../../electron/ml/feature-cache.ts';
import { predictBatch } from '../../electron/ml/infer.ts';
import type { ModelMetadata } from '../../electron/ml/metadata.ts';
import { loadModel } from '../../electron/ml/model-store.ts';
import { makeSplit, type SplitSpec } from '../../electron/ml/splits.ts';
import { runTraining, type TrainingResult } from '../../electron/ml/train.ts';
import { prepareTrainingData } from '../../electron/ml/training-data.ts';
import { recordedWindow } from '../../electron/ml/training-metadata.ts';
import { TOY_FEATURES, writeToyDataset } from '../helpers/toy-data.ts';

let dir: string;
let result: TrainingResult;
let metadata: ModelMetadata;
/** The saved model's uncalibrated outputs on the validation clips, and their class indices. */
let validation: { probabilities: Float32Array[]; labels: number[]; speakers: (string | undefined)[] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ser-train-calibration-'));
  const toy = writeToyDataset(join(dir, 'data'), { classes: ['low', 'high', 'noise'], clipsPerClass: 12 });
  const split: SplitSpec = { protocol: 'random', seed: 1, validationFraction: 0.3, testFraction: 0.2 };
  const cacheDir = join(dir, 'cache');
  result = await runTraining({ data: { csv: toy.csv }, split, out: join(dir, 'model'), seed: 1, epochs: 4, patience: 4, features: TOY_FEATURES, minClipsPerLabel: 10, cacheDir });
  const loaded = await loadModel(join(dir, 'model'));
  metadata = loaded.metadata;
  const data = await prepareTrainingData({ data: { csv: toy.csv }, labels: metadata.labels, minClipsPerLabel: 0 });
  const items = makeSplit(data.items, split).validation;
  const inputs = await clipFeatures(items, new FeatureCache(cacheDir), { settings: metadata.features, window: recordedWindow(metadata) }, () => [null]);
  validation = { probabilities: predictBatch(loaded.model, inputs.map((c) => c[0])), labels: items.map((i) => metadata.labels.indexOf(i.label)), speakers: items.map((i) => i.speaker) };
  loaded.model.dispose();
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('calibration after training', () => {
  it('stores the temperature that minimises the validation clips’ NLL', () => {
    const c = metadata.calibration;
    expect(c).toBeDefined();
    if (!c) return;
    expect(c.validationClips).toBe(validation.labels.length);
    const nll = (t: number) => temperatureNll(validation.probabilities, validation.labels, t);
    expect(nll(c.temperature)).toBeLessThanOrEqual(nll(1) + 1e-9);
    expect(nll(c.temperature)).toBeLessThanOrEqual(nll(c.temperature * 1.05) + 1e-9);
    expect(nll(c.temperature)).toBeLessThanOrEqual(nll(c.temperature / 1.05) + 1e-9);
    expect(result.notes.some((n) => n.startsWith(`calibrated on ${validation.labels.length} validation clips: temperature`))).toBe(true);
  });

  it('records the error with each half of the validation speakers scaled by the other half', () => {
    const { crossFitted } = metadata.calibration!;
    expect(crossFitted?.clips).toBe(validation.labels.length);
    expect(crossFitted?.speakers).toBe(new Set(validation.speakers).size);
    expect(crossFitted?.ece.before).toBeCloseTo(metadata.calibration!.ece.before, 12);
  });

  it('chooses a threshold whose kept validation clips reach the target precision', () => {
    const c = metadata.calibration;
    if (!c || c.minConfidence === null) throw new Error(`no threshold: ${JSON.stringify(c)}`);
    const outcomes = topOutcomes(
      validation.probabilities.map((p) => applyTemperature(p, c.temperature)),
      validation.labels,
    );
    const kept = outcomes.filter((o) => o.confidence >= (c.minConfidence as number));
    expect(kept.length / outcomes.length).toBeCloseTo(c.coverage as number, 9);
    expect(kept.filter((o) => o.correct).length / kept.length).toBeGreaterThanOrEqual(c.targetPrecision);
  });
});
