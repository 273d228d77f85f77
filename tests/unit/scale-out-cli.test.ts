import { parse } from 'csv-parse/sync';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../electron/store/index.ts';
import { runCli } from '../helpers/run-cli.ts';
import { MODEL, predictFile, tempDir, window } from '../helpers/store-fixtures.ts';
import { writeToyDataset } from '../helpers/toy-data.ts';
import { writeToyModel } from '../helpers/toy-model.ts';

const LABELS = ['low', 'high', 'noise'];
const SHARDS = 3;
const { dir, cleanup } = tempDir('ser-scale-out-');
afterAll(cleanup);

let model: string;
let clips: string;
let copy: string;

type Row = Record<string, string>;
const readCsv = (file: string) => parse(readFileSync(file), { columns: true }) as Row[];
const csvHeader = (file: string) => readFileSync(file, 'utf8').split('\r\n', 1)[0];

/** Probabilities of a report row, to compare within float32 noise: windows batched with other files may round differently. */
function expectSameRows(actual: Row[], expected: Row[], key: (r: Row) => string) {
  expect(actual.map(key)).toEqual(expected.map(key));
  actual.forEach((row, i) => {
    for (const label of LABELS) expect(Number(row[`p_${label}`])).toBeCloseTo(Number(expected[i][`p_${label}`]), 5);
    expect(row.top_label).toBe(expected[i].top_label);
  });
}

async function ser(...args: string[]) {
  const run = await runCli(args);
  expect(run.code, run.stderr).toBe(0);
  return run;
}

beforeAll(async () => {
  model = await writeToyModel(join(dir, 'model'), 'toy', LABELS);
  const data = writeToyDataset(join(dir, 'data'), { classes: ['low', 'high', 'noise'], clipsPerClass: 3, seconds: 1.5 });
  clips = join(data.dir, 'clips');
  // The same content under a second name, sorted last: it lands in another shard than its original.
  copy = join(clips, 'zz-copy.wav');
  copyFileSync(data.files[0].path, copy);
});

describe('ser classify --shard and ser db merge', () => {
  it('gives, merged from 3 shards, the predictions and the CSV of one run over the same files', { timeout: 180_000 }, async () => {
    const one = { db: join(dir, 'one.sqlite'), csv: join(dir, 'one.csv') };
    await ser('classify', clips, '--model', model, '--db', one.db, '--csv', one.csv);
    const shards = Array.from({ length: SHARDS }, (_, i) => ({ db: join(dir, `shard-${i}.sqlite`), csv: join(dir, `shard-${i}.csv`) }));
    await Promise.all(shards.map((s, i) => ser('classify', clips, '--model', model, '--shard', `${i}/${SHARDS}`, '--db', s.db, '--csv', s.csv)));

    // The CSVs concatenate: one header, and the shards' rows in index order are the single run's rows.
    const header = csvHeader(one.csv);
    for (const s of shards) expect(csvHeader(s.csv)).toBe(header);
    const perShard = shards.map((s) => readCsv(s.csv));
    expect(perShard.map((rows) => new Set(rows.map((r) => r.path)).size)).toEqual([3, 3, 4]);
    expectSameRows(perShard.flat(), readCsv(one.csv), (r) => `${r.path} ${r.scope} ${r.start_s} ${r.end_s}`);

    const merged = join(dir, 'merged.sqlite');
    const merge = await ser('db', 'merge', merged, ...shards.map((s) => s.db));
    expect(merge.stdout.split('\n').filter(Boolean)).toHaveLength(SHARDS);
    // The copy was a recording of its own in the last shard; by its content it is the original's.
    expect(merge.stdout).toContain(`${shards[2].db}: 3 recordings added, 1 matched by content`);

    const exported = async (db: string) => {
      const out = `${db}.csv`;
      await ser('export', 'predictions', '--db', db, '--out', out);
      return readCsv(out);
    };
    // One run attaches the copy's windows to the original's recording too; runs differ, so compare in file and time order.
    const byWindow = (rows: Row[]) => [...rows].sort((a, b) => a.path.localeCompare(b.path) || Number(a.start_s) - Number(b.start_s));
    const [mergedRows, oneRows] = [byWindow(await exported(merged)), byWindow(await exported(one.db))];
    expect(mergedRows.length).toBeGreaterThan(20);
    expectSameRows(mergedRows, oneRows, (r) => `${r.path} ${r.start_s} ${r.end_s} ${r.model}`);
    expect(new Set(mergedRows.map((r) => r.run_id)).size).toBe(SHARDS);
    expect(mergedRows.filter((r) => r.path === copy)).toEqual([]);

    // Merging the same shards again adds nothing.
    const again = await ser('db', 'merge', merged, ...shards.map((s) => s.db));
    expect(again.stdout).toMatch(/0 predictions of 0 runs added \(\d+ already there\)/);
    expect(await exported(merged)).toHaveLength(mergedRows.length);
  });

  it('reports a conflict, exits 1 and merges the rest', async () => {
    const store = (file: string, recordings: { path: string; contentHash: string }[]) => {
      const db = openStore(file);
      for (const r of recordings) predictFile(db, { model: MODEL, runId: file, recording: { ...r, sizeBytes: 1 }, windows: [window(0, 'sad', 0.5)] });
      db.close();
      return file;
    };
    const target = store(join(dir, 'target.sqlite'), [{ path: '/data/a.wav', contentHash: 'first-bytes-of-a' }]);
    const clash = store(join(dir, 'clash.sqlite'), [
      { path: '/data/a.wav', contentHash: 'other-bytes-at-a' },
      { path: '/data/b.wav', contentHash: 'bytes-of-b' },
    ]);
    const run = await runCli(['db', 'merge', target, clash]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`conflict: ${clash}: /data/a.wav: content other-bytes- here but first-bytes- in the target`);
    expect(run.stderr).toContain('1 conflict: what each names was left out');
    expect(run.stdout).toContain(`${clash}: 1 recording added, 0 matched by content; 1 prediction of 1 run added`);
  });

  it('refuses to merge a database into itself', async () => {
    const run = await runCli(['db', 'merge', join(dir, 'x.sqlite'), join(dir, '.', 'x.sqlite')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is both the database merged into and one merged from');
  });
});
