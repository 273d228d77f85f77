/**
 * `ser evaluate` of the bundled model on clips named like RAVDESS actors warns when they are
 * speakers it was trained on, in its text and JSON, and its CSV names the model and the data set.
 * The bundled model's metadata lists actor 01 among its training speakers, 10 among its
 * validation speakers, and neither 23 nor 24.
 */
import { Command } from 'commander';
import { csvParse } from 'd3-dsv';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerEvaluate } from '../../electron/cli/commands/evaluate.ts';
import type { TrainingOverlap } from '../../electron/shared/training-overlap.ts';
import { encodeWav, voiced } from '../helpers/wav-writer.ts';

const BUNDLED = resolve('models/ser-cnn');
let dir: string;

/** RAVDESS names: modality-channel-emotion-intensity-statement-repetition-actor. */
function ravdessFolder(name: string, files: readonly string[]): string {
  const root = join(dir, name);
  for (const [i, file] of files.entries()) {
    const path = join(root, `Actor_${file.slice(-6, -4)}`, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, encodeWav({ sampleRate: 16000, format: 'pcm16', channels: [voiced(120 + 40 * i, 16000, 0.5)] }));
  }
  return root;
}

async function evaluate(data: string): Promise<{ stdout: string; stderr: string; json: { trainingOverlap: TrainingOverlap | null }; csv: string }> {
  const program = new Command('ser').exitOverride();
  registerEvaluate(program);
  const json = join(dir, 'evaluation.json');
  const csv = join(dir, 'evaluation.csv');
  const out: string[] = [];
  const errors: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  const err = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void errors.push(parts.join(' ')));
  try {
    await program.parseAsync(['node', 'ser', 'evaluate', '--model', BUNDLED, '--data', data, '--cache', join(dir, 'cache'), '--json', json, '--csv', csv]);
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
  return { stdout: out.join('\n'), stderr: errors.join('\n'), json: JSON.parse(readFileSync(json, 'utf8')), csv: readFileSync(csv, 'utf8') };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ser-evaluate-overlap-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ser evaluate on speakers the model was trained on', () => {
  it('warns with the speakers and clips it heard, in text and JSON, and the CSV names model and data', async () => {
    // Actor 01 angry (trained on), actor 10 sad (validation), actor 23 happy (never heard).
    const data = ravdessFolder('heard', ['03-01-05-01-01-01-01.wav', '03-01-04-01-01-01-10.wav', '03-01-03-01-01-01-23.wav']);
    const { stdout, stderr, json, csv } = await evaluate(data);
    expect(json.trainingOverlap).toEqual({
      clips: 3,
      corpora: ['ravdess'],
      corpusClips: 3,
      trainSpeakers: ['ravdess:01'],
      trainSpeakerClips: 1,
      validationSpeakers: ['ravdess:10'],
      validationSpeakerClips: 1,
      speakersHeldOut: true,
    });
    const sentence = 'The model trained on 1 speaker of these clips (1 of 3 clips) and chose its epoch by 1 speaker of them (1 clip), from ravdess';
    expect(stderr).toContain(`warning: ${sentence}`);
    expect(stdout).toContain(`Training overlap: ${sentence}`);
    const rows = csvParse(csv);
    expect(rows.map((r) => [r.model_id, r.model, r.dataset, r.clips])).toEqual(rows.map(() => [BUNDLED, 'ser-cnn', data, '3']));
    expect(rows.find((r) => r.label === 'accuracy')?.support).toBe('3');
  }, 60_000);

  it('only notes unseen actors of the corpus it knows', async () => {
    const data = ravdessFolder('unseen', ['03-01-05-01-01-01-23.wav', '03-01-04-01-01-01-24.wav']);
    const { stdout, stderr, json } = await evaluate(data);
    expect(json.trainingOverlap?.trainSpeakers).toEqual([]);
    expect(stderr).toContain('note: The model was trained on ravdess, but on none of the speakers evaluated here');
    expect(stderr).not.toContain('warning:');
    expect(stdout).toContain('Training overlap: The model was trained on ravdess, but on none');
  }, 60_000);
});
