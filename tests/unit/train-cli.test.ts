/**
 * `ser train` and `ser evaluate` on generated clips, run in-process through commander. The
 * commands fine-tune a small toy model (trained here by the engine) so that their runs take
 * seconds; the full-size network is the same code with other feature settings.
 */
import { Command } from 'commander';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerEvaluate } from '../../electron/cli/commands/evaluate.ts';
import { registerTrain } from '../../electron/cli/commands/train.ts';
import { UsageError } from '../../electron/cli/usage-error.ts';
import type { Evaluation } from '../../electron/ml/evaluate.ts';
import { loadModel } from '../../electron/ml/model-store.ts';
import type { SpeakerProtocolResult } from '../../electron/ml/speaker-protocol.ts';
import { runTraining } from '../../electron/ml/train.ts';
import { TOY_FEATURES, writeToyDataset, type ToyDataset } from '../helpers/toy-data.ts';

let dir: string;
let toy: ToyDataset;

/** Runs `ser ARGS` with the train and evaluate commands; returns what it printed on stdout. */
async function ser(...args: string[]): Promise<string> {
  const program = new Command('ser').exitOverride();
  program.configureOutput({ writeErr: () => {} });
  registerTrain(program);
  registerEvaluate(program);
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'ser', ...args]);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return printed.join('\n');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ser-train-cli-'));
  toy = writeToyDataset(join(dir, 'data'), { classes: ['low', 'high', 'noise'], clipsPerClass: 12, speakers: 4 });
  await runTraining({
    data: { csv: toy.csv },
    split: { protocol: 'random', seed: 1, validationFraction: 0.2, testFraction: 0.2 },
    out: join(dir, 'toy'),
    seed: 1,
    epochs: 6,
    features: TOY_FEATURES,
    minClipsPerLabel: 10,
    cacheDir: join(dir, 'cache'),
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ser train --split speaker', () => {
  const out = () => join(dir, 'tuned');
  let protocol: SpeakerProtocolResult;

  beforeAll(async () => {
    const common = ['--labels-csv', toy.csv, '--base', join(dir, 'toy'), '--min-clips', '10', '--cache', join(dir, 'cache'), '--epochs', '3'];
    const stdout = await ser('train', ...common, '--split', 'speaker', '--folds', '2', '--out', out(), '--json', join(dir, 'protocol.json'));
    protocol = JSON.parse(readFileSync(join(dir, 'protocol.json'), 'utf8')) as SpeakerProtocolResult;
    expect(stdout).toMatch(/^Fold\s+Test speakers\s+Epoch\s+Accuracy\s+Macro-F1\s+Gender gap$/m);
    expect(stdout).toMatch(/Speaker-independent \(2 folds, mean ± sd\): accuracy \d+\.\d% ± \d+\.\d/);
    expect(stdout).toMatch(/^Saved .*tuned: epoch \d of 3/m);
  });

  it('trains one model per fold on the other speakers, then the final model with the folds’ figures', async () => {
    expect(protocol.folds.map((f) => f.testSpeakers)).toHaveLength(2);
    expect(new Set(protocol.folds.flatMap((f) => f.testSpeakers))).toEqual(new Set(['1', '2', '3', '4']));
    for (const f of protocol.folds) expect(existsSync(join(`${out()}-folds`, `fold-${f.fold}`, 'model.json'))).toBe(true);
    const { model, metadata } = await loadModel(out());
    model.dispose();
    const metrics = metadata.metrics as { crossValidation: { accuracy: { mean: number; n: number } }; speaker_cv_accuracy: string };
    expect(metrics.crossValidation.accuracy.mean).toBeCloseTo(protocol.summary!.accuracy.mean, 12);
    expect(metrics.crossValidation.accuracy.n).toBe(2);
    expect(metrics.speaker_cv_accuracy).toMatch(/% ± .* \(2 speaker-independent folds\)$/);
    expect(metadata.provenance.split).toMatch(/^all speakers/);
  });

  it('evaluates a fold model on exactly its held-out speakers, as training measured it', async () => {
    const fold = protocol.folds[0];
    const json = join(dir, 'eval.json');
    const csv = join(dir, 'eval.csv');
    const stdout = await ser('evaluate', '--model', join(`${out()}-folds`, 'fold-1'), '--labels-csv', toy.csv, '--split', 'speaker', '--cache', join(dir, 'cache'), '--json', json, '--csv', csv);
    const evaluation = JSON.parse(readFileSync(json, 'utf8')) as Evaluation;
    const expected = fold.result.test!;
    expect(evaluation.confusion).toEqual(expected.confusion);
    expect(evaluation.speakers.map((s) => s.speaker)).toEqual(fold.testSpeakers);
    expect(stdout).toContain(`accuracy ${(100 * expected.accuracy).toFixed(1)}%`);
    expect(stdout).toMatch(/^Confusion matrix/m);
    expect(stdout).toMatch(/^Gender\s+Clips\s+Accuracy\s+95% interval$/m);
    expect(stdout).toMatch(/^Speaker\s+Clips\s+Accuracy\s+95% interval$/m);
    const rows = readFileSync(csv, 'utf8').trim().split('\r\n');
    expect(rows[0]).toBe('model_id,model,dataset,clips,evaluated_at,label,support,precision,recall,f1,predicted_high,predicted_low,predicted_noise');
    // Every row names the model folder and the data set it measured.
    const [modelId, , dataset, clips] = rows[1].split(',');
    expect([modelId, clips]).toEqual([join(`${out()}-folds`, 'fold-1'), String(evaluation.clips)]);
    expect(toy.csv.startsWith(dataset)).toBe(true);
    expect(rows[1].split(',').slice(10).map(Number)).toEqual(expected.confusion[0]);
  });

  it('refuses to evaluate a split the model was not trained with', async () => {
    const args = ['--labels-csv', toy.csv, '--cache', join(dir, 'cache')];
    await expect(ser('evaluate', '--model', out(), ...args, '--split', 'speaker')).rejects.toThrow(/no held-out speakers/);
    await expect(ser('evaluate', '--model', join(dir, 'toy'), ...args, '--split', 'speaker')).rejects.toThrow(/records a random split/);
  });
});

describe('ser evaluate --whole-clip', () => {
  const evaluate = async (data: ToyDataset, ...flags: string[]) => {
    const json = join(dir, `whole-clip-${flags.length}.json`);
    const stdout = await ser('evaluate', '--model', join(dir, 'toy'), '--labels-csv', data.csv, '--cache', join(dir, 'cache'), '--json', json, ...flags);
    return { stdout, evaluation: JSON.parse(readFileSync(json, 'utf8')) as Evaluation };
  };

  it('scores each clip as the app classifies a recording: on clips of one window, exactly as the training window', async () => {
    const oneWindow = writeToyDataset(join(dir, 'one-window'), { classes: ['low', 'high', 'noise'], clipsPerClass: 6, seed: 7, seconds: TOY_FEATURES.windowSeconds });
    const window = await evaluate(oneWindow);
    const whole = await evaluate(oneWindow, '--whole-clip');
    expect(whole.evaluation.confusion).toEqual(window.evaluation.confusion);
    expect(whole.stdout).toMatch(/on all clips, whole clips/);
  });

  it('averages the windows of longer clips, which keeps a stationary task right', async () => {
    const { evaluation } = await evaluate(toy, '--whole-clip');
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(toy.files.length);
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});

describe('ser train usage', () => {
  it('needs a base model to freeze and a data set', async () => {
    await expect(ser('train', '--labels-csv', toy.csv, '--freeze-base', '--out', join(dir, 'x'))).rejects.toThrow(UsageError);
    await expect(ser('train', '--out', join(dir, 'x'))).rejects.toThrow(/give a data set/);
  });
});
