import { Command, CommanderError } from 'commander';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerExport } from '../../electron/cli/commands/export.ts';
import { UsageError } from '../../electron/cli/usage-error.ts';
import { createSession, openStore, addAnnotation, getRecordingByPath } from '../../electron/store/index.ts';
import { MODEL, tempDir, virtualRecording, window, predictFile } from '../helpers/store-fixtures.ts';

const { dir, cleanup } = tempDir('ser-export-cli-');
const dbFile = join(dir, 'workspace.sqlite');
afterAll(cleanup);
afterEach(() => vi.restoreAllMocks());

beforeAll(() => {
  const db = openStore(dbFile);
  predictFile(db, { model: MODEL, runId: 'r1', recording: virtualRecording('a.wav'), windows: [window(0, 'sad', 0.6), window(1.5, 'sad', 0.8)] });
  predictFile(db, { model: { ...MODEL, name: 'other' }, runId: 'r2', recording: virtualRecording('b.wav'), windows: [window(0, 'calm', 0.9)] });
  const session = createSession(db, { name: 'week 1' });
  addAnnotation(db, { recordingId: getRecordingByPath(db, '/virtual/b.wav')!.id, sessionId: session.id, startSec: 0, endSec: 2, label: 'calm' });
  db.close();
});

async function ser(...args: string[]): Promise<string> {
  let errors = '';
  vi.spyOn(console, 'error').mockImplementation((line: string) => void (errors += `${line}\n`));
  const program = new Command('ser').exitOverride();
  program.configureOutput({ writeErr: (text) => void (errors += text), writeOut: () => undefined });
  registerExport(program);
  await program.parseAsync(['export', ...args], { from: 'user' });
  return errors;
}

describe('ser export', () => {
  it('writes a predictions report filtered by model and says how many rows', async () => {
    const out = join(dir, 'predictions.csv');
    expect(await ser('predictions', '--db', dbFile, '--out', out, '--model', 'baseline', '--per', 'both')).toBe(`${out}: 3 rows\n`);
    const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => `${r.path} ${r.scope} ${r.start_s}-${r.end_s} ${r.top_label} ${r.confidence}`)).toEqual([
      '/virtual/a.wav file 0-4.5 sad 0.7',
      '/virtual/a.wav window 0-3 sad 0.6',
      '/virtual/a.wav window 1.5-4.5 sad 0.8',
    ]);
  });

  it('writes one row per file with --per file, per window by default', async () => {
    const files = join(dir, 'files.csv');
    expect(await ser('predictions', '--db', dbFile, '--out', files, '--per', 'file')).toBe(`${files}: 2 rows\n`);
    const rows = parse(readFileSync(files), { columns: true }) as Record<string, string>[];
    // a.wav's file row holds the mean of its windows: sad (0.6 + 0.8) / 2, each other class (0.4/7 + 0.2/7) / 2.
    expect(rows.map((r) => [r.path, r.scope, r.model, r.top_label, r.p_sad, r.p_calm])).toEqual([
      ['/virtual/a.wav', 'file', 'baseline', 'sad', '0.7', String(Math.round(((0.4 / 7 + 0.2 / 7) / 2) * 1e6) / 1e6)],
      ['/virtual/b.wav', 'file', 'other', 'calm', String(Math.round((0.1 / 7) * 1e6) / 1e6), '0.9'],
    ]);
    const windows = join(dir, 'windows.csv');
    expect(await ser('predictions', '--db', dbFile, '--out', windows)).toBe(`${windows}: 3 rows\n`);
    expect((parse(readFileSync(windows), { columns: true }) as Record<string, string>[]).every((r) => r.scope === 'window')).toBe(true);
  });

  it('filters annotations and summaries by session', async () => {
    const out = join(dir, 'annotations.csv');
    await ser('annotations', '--db', dbFile, '--out', out, '--session', 'week 1');
    expect((parse(readFileSync(out), { columns: true }) as Record<string, string>[]).map((r) => [r.path, r.label])).toEqual([['/virtual/b.wav', 'calm']]);
    const summary = join(dir, 'summary.csv');
    await ser('summary', '--db', dbFile, '--out', summary, '--session', 'week 1');
    const rows = parse(readFileSync(summary), { columns: true }) as Record<string, string>[];
    // Only b.wav is in the session: one recording row, then one row per label.
    expect(rows.filter((r) => r.scope === 'recording').map((r) => [r.path, r.model, r.windows, r.top_label, r.annotations, r.annotated_s, r.p_calm])).toEqual([
      ['/virtual/b.wav', 'other', '1', 'calm', '1', '2', '0.9'],
    ]);
    expect(rows.find((r) => r.scope === 'label' && r.label === 'calm')).toMatchObject({ recordings: '1', windows: '1', annotations: '1', annotated_s: '2', p_calm: '0.9' });
    expect(rows.find((r) => r.scope === 'label' && r.label === 'sad')).toMatchObject({ recordings: '0', windows: '0', annotations: '0', p_sad: String(Math.round((0.1 / 7) * 1e6) / 1e6) });
  });

  it('writes to standard output for --out -', async () => {
    let written = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += chunk.toString();
      return true;
    });
    expect(await ser('predictions', '--db', dbFile, '--out', '-', '--model', 'other')).toBe('');
    vi.restoreAllMocks();
    expect(parse(written, { columns: true })).toHaveLength(1);
  });

  it('names what is wrong with the call', async () => {
    await expect(ser('predictions', '--db', dbFile, '--out', join(dir, 'x.csv'), '--model', 'nope')).rejects.toThrow(
      new UsageError(`no model "nope" in ${dbFile} (models: baseline, other)`),
    );
    await expect(ser('annotations', '--db', dbFile, '--out', join(dir, 'x.csv'), '--session', 'nope')).rejects.toThrow(
      new UsageError(`no session "nope" in ${dbFile} (sessions: week 1)`),
    );
    await expect(ser('predictions', '--db', dbFile, '--out', join(dir, 'x.csv'), '--model-version', '2')).rejects.toThrow('--model-version needs --model');
    await expect(ser('predictions', '--db', dbFile)).rejects.toThrow(CommanderError);
    await expect(ser('predictions', '--db', dbFile, '--out', join(dir, 'x.csv'), '--per', 'day')).rejects.toThrow(CommanderError);
    await expect(ser('evaluation', '--db', dbFile, '--out', join(dir, 'x.csv'))).rejects.toThrow(CommanderError);
    const missing = join(dir, 'missing.sqlite');
    await expect(ser('summary', '--db', missing, '--out', join(dir, 'x.csv'))).rejects.toThrow(`${missing}: no such database file`);
    await expect(ser('summary', '--db', dbFile, '--out', join(dir, 'none', 'x.csv'))).rejects.toThrow(`cannot write ${join(dir, 'none', 'x.csv')}: folder does not exist`);
  });
});
