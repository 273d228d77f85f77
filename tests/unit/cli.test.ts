import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBackend } from '../../electron/ml/backend.ts';
import { buildModel } from '../../electron/ml/model.ts';
import { saveModel } from '../../electron/ml/model-store.ts';
import { untrainedMetadata, type ModelMetadata } from '../../electron/ml/metadata.ts';
import { headlineAccuracy } from '../../electron/ml/training-metadata.ts';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import { encodeWav, sine, voiced } from '../helpers/wav-writer.ts';
import { runCli } from '../helpers/run-cli.ts';
import { sharedDir } from '../helpers/shared.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

let dir: string;
let modelDir: string;
let clips: string;

interface JsonResult {
  file: string;
  label?: string;
  confidence?: number;
  probabilities?: Record<string, number>;
  outcome?: string;
  windows?: { start: number; end: number; speech: number; outcome: string; probabilities: Record<string, number> }[];
  model?: string;
  model_trained?: boolean;
  error?: string;
}

const sum = (p: Record<string, number>) => Object.values(p).reduce((a, b) => a + b, 0);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ser-cli-'));
  modelDir = join(dir, 'model');
  await initBackend();
  await saveModel(buildModel(), modelDir, untrainedMetadata('test-random'));
  clips = join(dir, 'clips');
  mkdirSync(join(clips, 'nested'), { recursive: true });
  writeFileSync(join(clips, 'a.wav'), encodeWav({ sampleRate: 22050, format: 'pcm16', channels: [voiced(220, 22050, 1.5)] }));
  writeFileSync(join(clips, 'nested', 'b.wav'), encodeWav({ sampleRate: 44100, format: 'pcm16', channels: [sine(440, 44100, 7)] }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ser classify', () => {
  it('classifies a folder recursively, one JSON line per file, windows and their mean', async () => {
    const run = await runCli(['classify', clips, '--model', modelDir, '--json', '--hop', '1.5']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonResult);
    expect(lines.map((l) => l.file)).toEqual([join(clips, 'a.wav'), join(clips, 'nested', 'b.wav')]);
    const [short, long] = lines;
    expect(short.windows).toHaveLength(1);
    expect(short.windows?.[0]).toMatchObject({ start: 0, end: 1.5 });
    // 7 s, 3 s windows every 1.5 s: 0, 1.5, 3 and one aligned to the end at 4 s.
    expect(long.windows?.map((w) => w.start)).toEqual([0, 1.5, 3, 4]);
    for (const r of lines) {
      expect(Object.keys(r.probabilities ?? {})).toEqual([...EMOTIONS]);
      expect(sum(r.probabilities ?? {})).toBeCloseTo(1, 5);
      expect(r.probabilities?.[r.label as string]).toBe(r.confidence);
      expect(Math.max(...Object.values(r.probabilities ?? {}))).toBe(r.confidence);
      expect(r.model).toBe('test-random');
      expect(r.model_trained).toBe(false);
    }
    for (const label of EMOTIONS) {
      const mean = (long.windows ?? []).reduce((a, w) => a + w.probabilities[label], 0) / 4;
      expect(long.probabilities?.[label]).toBeCloseTo(mean, 6);
    }
    expect(run.stderr).toMatch(/UNTRAINED/);
  });

  it('answers "no speech" for a steady tone, and an emotion for a voice', async () => {
    const run = await runCli(['classify', clips, '--model', modelDir, '--json']);
    const [voice, tone] = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonResult);
    expect(voice.outcome).toBe(voice.label);
    // 1.5 s of voice in a window zero-padded to 3 s.
    expect(voice.windows?.[0].speech).toBeGreaterThan(0.4);
    expect(tone.outcome).toBe('no speech');
    expect(tone.windows?.map((w) => [w.outcome, w.speech])).toEqual(tone.windows?.map(() => ['no speech', 0]));
    const text = await runCli(['classify', join(clips, 'nested', 'b.wav'), '--model', modelDir]);
    expect(text.stdout).toContain('Predicted emotion: NO SPEECH (no window holds speech)');
  });

  it('prints the seed-style line, says the model is untrained, and exits 1 listing failures', async () => {
    const bad = join(dir, 'notes.wav');
    writeFileSync(bad, 'this is not audio');
    const run = await runCli(['classify', join(clips, 'a.wav'), bad, join(dir, 'missing.flac'), '--model', modelDir, '--verbose']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/Predicted emotion: [A-Z]+ \(\d+\.\d% confidence\)/);
    for (const label of EMOTIONS) expect(run.stdout).toContain(label);
    expect(run.stderr).toMatch(/UNTRAINED/);
    expect(run.stderr).toContain(`error: ${bad}:`);
    expect(run.stderr).toContain('missing.flac');
  });

  it('writes JSON errors for files that fail and a CSV that accounts for every file and window', async () => {
    const bad = join(dir, 'empty.wav');
    writeFileSync(bad, '');
    const csvPath = join(dir, 'out.csv');
    const run = await runCli(['classify', join(clips, 'nested'), bad, '--model', modelDir, '--json', '--csv', csvPath]);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonResult);
    expect(lines[1]).toEqual({ file: bad, error: expect.stringContaining(bad) });
    const rows = parse(readFileSync(csvPath), { columns: true }) as Record<string, string>[];
    // b.wav: one file row + 4 windows (default hop 1.5 s); empty.wav: one error row.
    expect(rows.map((r) => r.scope)).toEqual(['file', 'window', 'window', 'window', 'window', 'file']);
    for (const r of rows.slice(0, 5)) {
      const p = EMOTIONS.map((l) => Number(r[`p_${l}`]));
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(Number(r.confidence)).toBe(Math.max(...p));
      expect(r.top_label).toBe(EMOTIONS[p.indexOf(Math.max(...p))]);
    }
    expect(rows[5].error).toContain(bad);
  });

  it.each([
    [['classify'], /missing required argument/],
    [['classify', 'x.wav', '--hop', '-1'], /--hop must be a positive number/],
    [['classify', 'x.wav', '--window', '2'], /takes 3 s windows/],
    [['classify', 'x.wav', '--bogus'], /unknown option/],
  ])('exits 2 on usage errors: %j', async (args, message) => {
    const run = await runCli([...args, ...(args.length > 1 ? ['--model', modelDir] : [])]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('records predictions in a workspace database that ser export reads back', async () => {
    const db = join(dir, 'workspace.db');
    const classified = await runCli(['classify', clips, '--model', modelDir, '--db', db, '--json']);
    expect(classified.code).toBe(0);
    const results = classified.stdout.trim().split('\n').map((l) => JSON.parse(l) as JsonResult);
    const out = join(dir, 'predictions.csv');
    const exported = await runCli(['export', 'predictions', '--db', db, '--out', out]);
    expect(exported.code).toBe(0);
    const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    const windows = results.flatMap((r) => (r.windows ?? []).map((w) => ({ path: r.file, ...w })));
    expect(rows).toHaveLength(windows.length);
    rows.forEach((row, i) => {
      expect(row.path).toBe(windows[i].path);
      expect(Number(row.start_s)).toBeCloseTo(windows[i].start, 5);
      for (const label of EMOTIONS) expect(Number(row[`p_${label}`])).toBeCloseTo(windows[i].probabilities[label], 5);
    });
  });

  it('refuses an unwritable CSV path before classifying anything', async () => {
    const target = join(dir, 'no-such-folder', 'out.csv');
    const run = await runCli(['classify', join(clips, 'a.wav'), '--model', modelDir, '--csv', target]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`cannot write ${target}: folder does not exist`);
    expect(run.stdout).toBe('');
  });

  it('fails with a clear message for a folder that is not a model', async () => {
    const run = await runCli(['classify', join(clips, 'a.wav'), '--model', clips]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(clips);
  });
});

describe('ser info', () => {
  it('names the backend and why, and says plainly that a random model is untrained', async () => {
    const run = await runCli(['info', '--model', modelDir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Backend: (wasm|tensorflow): .+/);
    expect(run.stdout).toContain('test-random');
    expect(run.stdout).toMatch(/UNTRAINED/);
    expect(run.stdout).not.toMatch(/accuracy:/);
  });

  it('gives the bundled model’s tested accuracy and says on what it was measured', async () => {
    const run = await runCli(['info']);
    expect(run.code).toBe(0);
    const metadata = JSON.parse(readFileSync(join(projectRoot, 'models', 'ser-cnn', 'metadata.json'), 'utf8')) as ModelMetadata;
    expect(run.stdout).toContain(`  accuracy: ${headlineAccuracy(metadata)}`);
    expect(run.stdout).toMatch(/accuracy: \d+%( ± \d+)? on unseen speakers/);
  });
});

describe('ser features', () => {
  it('prints the whole file unpadded as JSON', async () => {
    const file = join(dir, 'tone.wav');
    writeFileSync(file, encodeWav({ sampleRate: 22050, format: 'pcm16', channels: [sine(1000, 22050, 1)] }));
    const run = await runCli(['features', file, '--json']);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { sr: number; n_mels: number; frames: number; db: number[][] };
    expect(out).toMatchObject({ sr: 22050, n_mels: 128, frames: 44 });
    expect(out.db).toHaveLength(44);
    expect(out.db[20]).toHaveLength(128);
    expect(Math.max(...out.db.flat())).toBe(0);
  });

  const refDir = sharedDir('reference', 'mel');
  it.skipIf(!refDir)('matches the chirp reference within 1e-3 dB from outside', async () => {
    const run = await runCli(['features', join(refDir as string, 'chirp.wav'), '--json']);
    const ours = JSON.parse(run.stdout) as { db: number[][] };
    const ref = JSON.parse(readFileSync(join(refDir as string, 'chirp.mel.json'), 'utf8')) as { db: number[][] };
    const diff = Math.max(...ref.db.flatMap((frame, t) => frame.map((v, m) => Math.abs(v - ours.db[t][m]))));
    expect(diff).toBeLessThanOrEqual(1e-3);
  });

  it('reports an unreadable file on one line and exits 1', async () => {
    const run = await runCli(['features', join(dir, 'nope.wav'), '--json']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('nope.wav');
  });
});
