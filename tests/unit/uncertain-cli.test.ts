/**
 * The "uncertain" outcome end to end: a model whose metadata carries a calibration (temperature and
 * threshold) is run through `ser classify` as a user would, and the text, the JSON and the CSV it
 * writes are checked against probabilities worked out here from the same model uncalibrated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../electron/ml/backend.ts';
import { untrainedMetadata, type ModelCalibration } from '../../electron/ml/metadata.ts';
import { buildModel } from '../../electron/ml/model.ts';
import { saveModel } from '../../electron/ml/model-store.ts';
import { seedKernels } from '../../electron/ml/seeded-init.ts';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import { runCli } from '../helpers/run-cli.ts';
import { encodeWav, voiced } from '../helpers/wav-writer.ts';

interface JsonResult {
  file: string;
  label: string;
  confidence: number;
  outcome: string;
  probabilities: Record<string, number>;
  windows: { probabilities: Record<string, number>; outcome: string }[];
  min_confidence: number | null;
}

let dir: string;
let clips: string;
let model: tf.LayersModel;
/** Per file (one window each: 1.5 s clips), the uncalibrated probabilities in label order. */
let raw: Map<string, number[]>;

const classifyJson = async (args: string[]) => {
  const run = await runCli(['classify', clips, '--json', ...args]);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonResult);
};

/** softmax(log p / 2) = √p / Σ √p, worked out independently of the code under test. */
const atTemperature2 = (p: number[]) => {
  const roots = p.map(Math.sqrt);
  const sum = roots.reduce((a, b) => a + b, 0);
  return roots.map((r) => r / sum);
};

async function calibratedModel(name: string, minConfidence: number | null): Promise<string> {
  const calibration: ModelCalibration = { temperature: 2, minConfidence, targetPrecision: 0.8, coverage: null, precision: null, validationClips: 10, ece: { before: 0.2, after: 0.05 } };
  const out = join(dir, name);
  await saveModel(model, out, { ...untrainedMetadata(name), calibration });
  return out;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ser-uncertain-'));
  clips = join(dir, 'clips');
  mkdirSync(clips);
  // Different voices give the random model different confidences (steady tones would be "no speech").
  for (const hz of [100, 150, 220, 330, 500]) writeFileSync(join(clips, `${hz}.wav`), encodeWav({ sampleRate: 22050, format: 'pcm16', channels: [voiced(hz, 22050, 1.5)] }));
  await initBackend();
  model = buildModel();
  seedKernels(model, 11);
  const plain = join(dir, 'plain');
  await saveModel(model, plain, untrainedMetadata('plain'));
  const results = await classifyJson(['--model', plain]);
  raw = new Map(results.map((r) => [r.file, EMOTIONS.map((l) => r.probabilities[l])]));
  // A model without calibration keeps its outputs and never answers uncertain.
  for (const r of results) {
    expect(r.min_confidence).toBeNull();
    expect(r.outcome).toBe(r.label);
  }
});

afterAll(() => {
  model.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('ser classify with a calibrated model', () => {
  it('applies the temperature and answers uncertain below the threshold, in JSON, text and CSV', async () => {
    const scaledTop = new Map([...raw].map(([file, p]) => [file, Math.max(...atTemperature2(p))]));
    const tops = [...scaledTop.values()];
    // Half-way between the least and most confident file: some fall below, some not.
    const threshold = (Math.min(...tops) + Math.max(...tops)) / 2;
    expect(Math.max(...tops) - Math.min(...tops)).toBeGreaterThan(1e-4);
    const modelDir = await calibratedModel('calibrated', threshold);

    const results = await classifyJson(['--model', modelDir]);
    expect(results).toHaveLength(5);
    for (const r of results) {
      const expected = atTemperature2(raw.get(r.file) as number[]);
      EMOTIONS.forEach((l, k) => expect(r.probabilities[l]).toBeCloseTo(expected[k], 6));
      const top = EMOTIONS[expected.indexOf(Math.max(...expected))];
      const uncertain = Math.max(...expected) < threshold;
      expect(r.label).toBe(top);
      expect(r.outcome).toBe(uncertain ? 'uncertain' : top);
      expect(r.windows[0].outcome).toBe(r.outcome);
      expect(r.min_confidence).toBe(threshold);
    }
    const uncertainFiles = results.filter((r) => r.outcome === 'uncertain').map((r) => r.file);
    expect(uncertainFiles.length).toBeGreaterThan(0);
    expect(uncertainFiles.length).toBeLessThan(5);

    const csvPath = join(dir, 'calibrated.csv');
    const text = await runCli(['classify', clips, '--model', modelDir, '--csv', csvPath]);
    expect(text.code).toBe(0);
    expect(text.stdout.match(/Predicted emotion: UNCERTAIN \([a-z]+ \d+\.\d% confidence, below the \d+\.\d% threshold\)/g)).toHaveLength(uncertainFiles.length);
    const rows = parse(readFileSync(csvPath), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(10);
    for (const row of rows) {
      const result = results.find((r) => r.file === row.path) as JsonResult;
      expect(row.outcome).toBe(result.outcome);
      expect(row.top_label).toBe(result.label);
      expect(Number(row.confidence)).toBeCloseTo(result.confidence, 6);
    }
  });

  it('lets --min-confidence override the calibrated threshold, and refuses one outside 0..1', async () => {
    const modelDir = await calibratedModel('strict', 0.99);
    expect((await classifyJson(['--model', modelDir])).every((r) => r.outcome === 'uncertain')).toBe(true);
    const off = await classifyJson(['--model', modelDir, '--min-confidence', '0']);
    expect(off.every((r) => r.outcome === r.label && r.min_confidence === 0)).toBe(true);
    const bad = await runCli(['classify', clips, '--model', modelDir, '--min-confidence', '1.5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--min-confidence must be a probability from 0 to 1, got "1.5"');
  });
});
