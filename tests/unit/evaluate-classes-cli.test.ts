/**
 * `ser evaluate` scores each corpus's clips over the classes that corpus has, and takes several
 * corpora (--data, --labels-csv repeated). The model answers every clip with the same ranking
 * (noise, then low, then high), so what each clip is called is known without running it.
 */
import { Command } from 'commander';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerEvaluate } from '../../electron/cli/commands/evaluate.ts';
import type { Evaluation } from '../../electron/ml/evaluate.ts';
import { writeToyDataset, type ToyDataset } from '../helpers/toy-data.ts';
import { writeConstantModel } from '../helpers/toy-model.ts';

let dir: string;
let model: string;
/** 3 low and 3 high clips: no noise. */
let clinic: ToyDataset;
/** 2 clips of each class. */
let studio: ToyDataset;

/** Runs `ser evaluate ARGS --json FILE`; returns the evaluation written and what went to stderr. */
async function evaluate(...args: string[]): Promise<{ evaluation: Evaluation & { excludedClasses: { corpus: string; labels: string[] }[] }; stderr: string }> {
  const program = new Command('ser').exitOverride();
  registerEvaluate(program);
  const json = join(dir, 'evaluation.json');
  const errors: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errors.push(parts.join(' ')));
  try {
    await program.parseAsync(['node', 'ser', 'evaluate', '--model', model, '--cache', join(dir, 'cache'), '--json', json, ...args]);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return { evaluation: JSON.parse(readFileSync(json, 'utf8')), stderr: errors.join('\n') };
}

/** The data set as a folder of label sub-folders (the 'folders' convention), named `name`. */
function asFolders(data: ToyDataset, name: string): string {
  const folder = join(dir, name);
  for (const file of data.files) {
    mkdirSync(join(folder, file.label), { recursive: true });
    copyFileSync(file.path, join(folder, file.label, basename(file.path)));
  }
  return folder;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ser-evaluate-classes-'));
  // softmax([1, 0, 2]): noise first, then low.
  model = await writeConstantModel(join(dir, 'model'), 'constant', ['low', 'high', 'noise'], [1, 0, 2]);
  clinic = writeToyDataset(join(dir, 'clinic'), { classes: ['low', 'high'], clipsPerClass: 3, seconds: 0.6 });
  studio = writeToyDataset(join(dir, 'studio'), { classes: ['low', 'high', 'noise'], clipsPerClass: 2, seed: 2, seconds: 0.6 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ser evaluate over the classes each corpus has', () => {
  it('scores a corpus without noise over low and high, and says noise was left out', async () => {
    const { evaluation, stderr } = await evaluate('--labels-csv', clinic.csv);
    // Every clip is called low, the best of its corpus's classes: the 3 low clips are right.
    expect(evaluation.labels).toEqual(['low', 'high']);
    expect(evaluation.confusion).toEqual([
      [3, 0],
      [3, 0],
    ]);
    expect(evaluation.accuracy).toBeCloseTo(0.5, 12);
    expect(evaluation.excludedClasses).toEqual([{ corpus: 'clinic', labels: ['noise'] }]);
    expect(stderr).toContain('corpus "clinic" has no clips of noise');
  });

  it('with --all-classes, scores over every class: each clip called noise, none right', async () => {
    const { evaluation, stderr } = await evaluate('--labels-csv', clinic.csv, '--all-classes');
    expect(evaluation.labels).toEqual(['low', 'high', 'noise']);
    expect(evaluation.confusion).toEqual([
      [0, 0, 3],
      [0, 0, 3],
      [0, 0, 0],
    ]);
    expect(evaluation.accuracy).toBe(0);
    expect(evaluation.excludedClasses).toEqual([]);
    expect(stderr).not.toContain('has no clips of');
  });

  it('takes several corpora (--data repeated), each scored over its own classes', async () => {
    const { evaluation } = await evaluate('--data', asFolders(clinic, 'clinic-folders'), '--data', asFolders(studio, 'studio-folders'));
    // clinic's 6 clips called low (3 right); studio's 6 called noise (its 2 noise clips right): 5 of 12.
    expect(evaluation.clips).toBe(12);
    expect(evaluation.labels).toEqual(['low', 'high', 'noise']);
    expect(evaluation.confusion).toEqual([
      [3, 0, 2],
      [3, 0, 2],
      [0, 0, 2],
    ]);
    expect(evaluation.accuracy).toBeCloseTo(5 / 12, 12);
    expect(evaluation.excludedClasses).toEqual([{ corpus: 'clinic-folders', labels: ['noise'] }]);
  });

  it('scores whole clips over the corpus’s classes too', async () => {
    const { evaluation } = await evaluate('--labels-csv', clinic.csv, '--whole-clip');
    expect(evaluation.confusion).toEqual([
      [3, 0],
      [3, 0],
    ]);
  });
});
