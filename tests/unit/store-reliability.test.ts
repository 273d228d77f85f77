import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import { exportPredictions } from '../../electron/export/predictions-csv.ts';
import {
  importRecordings,
  listRecordings,
  openStore,
  queryPredictions,
  StoreError,
} from '../../electron/store/index.ts';
import { MODEL, tempDir, virtualRecording, window, predictFile } from '../helpers/store-fixtures.ts';
import { encodeWav, sine } from '../helpers/wav-writer.ts';

const { dir, cleanup } = tempDir('ser-store-crash-');
afterAll(cleanup);

const RUN_TS = resolve('bin/run-ts.mjs');
const CHILD = resolve('tests/helpers/store-crash-child.ts');

/** Runs the crash child until it says it is inside the fatal transaction, then SIGKILLs it. */
async function killInsideTransaction(args: string[]): Promise<string[]> {
  const child = spawn(process.execPath, [RUN_TS, CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const lines: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    lines.push(line);
    if (line === 'inside') {
      child.kill('SIGKILL');
      break;
    }
  }
  const [code, signal] = await new Promise<[number | null, string | null]>((done) => child.on('exit', (c, s) => done([c, s])));
  expect({ code, signal, stderr }).toEqual({ code: null, signal: 'SIGKILL', stderr: '' });
  return lines;
}

const integrity = (file: string) => {
  const db = new Database(file, { readonly: true });
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
};

describe('a process killed mid-write', () => {
  it('keeps every committed prediction batch whole and no trace of the interrupted one', async () => {
    const file = join(dir, 'predictions.sqlite');
    const windows = 4000;
    const lines = await killInsideTransaction(['predictions', file, String(windows), '6']);
    expect(lines).toEqual(['committed 1', 'committed 2', 'committed 3', 'committed 4', 'committed 5', 'inside']);

    expect(integrity(file)).toBe('ok');
    const db = openStore(file);
    const perRun = db.prepare('SELECT run_id, COUNT(*) AS n FROM predictions GROUP BY run_id ORDER BY run_id').all();
    expect(perRun).toEqual([1, 2, 3, 4, 5].map((k) => ({ run_id: `run-${k}`, n: windows })));
    // the recording inserted in the same transaction as the lost batch is gone with it
    expect(listRecordings(db).map((r) => r.path)).toEqual([1, 2, 3, 4, 5].map((k) => `/virtual/batch-${k}.wav`));
    // and the store takes new writes
    predictFile(db, { model: { name: 'crash-model', version: '1', labels: [...EMOTIONS] }, runId: 'run-6', recording: virtualRecording('again.wav'), windows: [window(0, 'sad', 0.5)] });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('keeps the files imported before the kill, and a rerun completes the import without duplicates', async () => {
    const folder = join(dir, 'many');
    mkdirSync(folder);
    const files = Array.from({ length: 40 }, (_, i) => join(folder, `clip-${String(i).padStart(2, '0')}.wav`));
    files.forEach((f, i) => writeFileSync(f, encodeWav({ sampleRate: 8000, format: 'pcm16', channels: [sine(100 + i * 10, 8000, 0.05)] })));
    const file = join(dir, 'import.sqlite');
    await killInsideTransaction(['import', file, folder, '25']);

    expect(integrity(file)).toBe('ok');
    const db = openStore(file);
    const kept = listRecordings(db);
    expect(kept.map((r) => r.path)).toEqual(files.slice(0, 24));
    expect(kept.every((r) => r.contentHash.length === 64 && r.sampleRate === 8000 && r.durationSec === 0.05)).toBe(true);
    const rerun = await importRecordings(db, [folder]);
    expect(rerun.outcomes.map((o) => o.kind)).toEqual([...Array(24).fill('unchanged'), ...Array(16).fill('added')]);
    expect(listRecordings(db).map((r) => r.path)).toEqual(files);
    db.close();
  });
});

describe('a locked database', () => {
  it('fails a write with a clear message after the busy timeout, loses nothing, and still serves reads', async () => {
    const file = join(dir, 'locked.sqlite');
    const db = openStore(file, { busyTimeoutMs: 50 });
    predictFile(db, { model: MODEL, runId: 'before', recording: virtualRecording('a.wav'), windows: [window(0, 'calm', 0.6)] });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    other.prepare("INSERT INTO label_sets (name, labels, created_at) VALUES ('theirs', '[\"x\"]', 'now')").run();

    const batch = { model: MODEL, runId: 'blocked', recording: virtualRecording('b.wav'), windows: [window(0, 'sad', 0.7)] };
    expect(() => predictFile(db, batch)).toThrow(new StoreError(`${file}: database is locked by another program or connection; close it and try again`));
    // write-ahead logging lets a report read while another program writes
    const out = join(dir, 'during-lock.csv');
    expect(await exportPredictions(db, out)).toBe(1);

    other.exec('COMMIT');
    other.close();
    predictFile(db, batch);
    expect(queryPredictions(db).map((r) => r.runId)).toEqual(['before', 'blocked']);
    expect(db.prepare("SELECT COUNT(*) FROM label_sets WHERE name = 'theirs'").pluck().get()).toBe(1);
    db.close();
  });

  it('is refused at open when another program holds it exclusively', () => {
    const file = join(dir, 'exclusive.sqlite');
    openStore(file).close();
    const other = new Database(file);
    other.pragma('locking_mode = EXCLUSIVE');
    other.exec('BEGIN EXCLUSIVE; COMMIT');
    expect(() => openStore(file, { busyTimeoutMs: 50 })).toThrow(/exclusive\.sqlite: database is locked by another program/);
    other.close();
    openStore(file).close();
  });
});
