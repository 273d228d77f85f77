import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addAnnotation,
  createSession,
  getRecordingByPath,
  listModels,
  listRecordings,
  mergeStore,
  openStore,
  queryPredictions,
  type Recording,
  type RecordingFacts,
  type StoreDb,
} from '../../electron/store/index.ts';
import { MODEL, predictFile, tempDir, virtualRecording, window } from '../helpers/store-fixtures.ts';

const { dir, cleanup } = tempDir('ser-store-merge-');
afterAll(cleanup);

let n = 0;
/** A new database file filled by fill, closed again: what a shard's `ser classify --db` leaves behind. */
function shard(fill: (db: StoreDb) => void): string {
  const file = join(dir, `shard-${++n}.sqlite`);
  const db = openStore(file);
  fill(db);
  db.close();
  return file;
}

function target(): StoreDb {
  return openStore(join(dir, `target-${++n}.sqlite`));
}

/** Each prediction as a report compares them: file, model, run, span and probabilities. */
const predictions = (db: StoreDb) =>
  queryPredictions(db, {}, { limit: 10_000, offset: 0 }).map((p) => [p.path, p.modelName, p.runId, p.startSec, p.endSec, p.probabilities, p.createdAt]);

function readPredictions(file: string) {
  const db = openStore(file, { readonly: true });
  try {
    return predictions(db);
  } finally {
    db.close();
  }
}

const at = (path: string, name: string): RecordingFacts => ({ ...virtualRecording(name), path });

describe('mergeStore', () => {
  it('carries recordings, models, runs and predictions unchanged, and a second merge changes nothing', () => {
    const a = shard((db) => {
      predictFile(db, { model: MODEL, runId: 'run-a', recording: virtualRecording('1.wav'), windows: [window(0, 'sad', 0.6), window(1.5, 'calm', 0.7)] });
      predictFile(db, { model: MODEL, runId: 'run-a', recording: virtualRecording('2.wav'), windows: [window(0, 'angry', 0.9)] });
    });
    const b = shard((db) => predictFile(db, { model: MODEL, runId: 'run-b', recording: virtualRecording('3.wav'), windows: [window(0, 'happy', 0.5)] }));
    const out = target();
    expect(mergeStore(out, a)).toEqual({ recordingsAdded: 2, recordingsMatched: 0, predictionsAdded: 3, predictionsPresent: 0, runs: 1, conflicts: [] });
    expect(mergeStore(out, b)).toMatchObject({ recordingsAdded: 1, predictionsAdded: 1, runs: 1, conflicts: [] });

    const expected = [a, b].flatMap(readPredictions);
    expect(predictions(out)).toEqual(expected);
    const source = openStore(a, { readonly: true });
    // Everything but the id, which the target hands out.
    const withoutId = (r: Recording) => ({ ...r, id: undefined });
    expect(listRecordings(out).slice(0, 2).map(withoutId)).toEqual(listRecordings(source).map(withoutId));
    source.close();

    expect(mergeStore(out, a)).toEqual({ recordingsAdded: 0, recordingsMatched: 2, predictionsAdded: 0, predictionsPresent: 3, runs: 0, conflicts: [] });
    expect(predictions(out)).toEqual(expected);
  });

  it('matches recordings by content hash, so the same file under another mount point is one recording', () => {
    const a = shard((db) => predictFile(db, { model: MODEL, runId: 'run-a', recording: at('/mnt/archive/x.wav', 'x.wav'), windows: [window(0, 'sad', 0.6)] }));
    const b = shard((db) => predictFile(db, { model: MODEL, runId: 'run-b', recording: at('/data/archive/x.wav', 'x.wav'), windows: [window(0, 'sad', 0.7)] }));
    const out = target();
    mergeStore(out, a);
    expect(mergeStore(out, b)).toMatchObject({ recordingsAdded: 0, recordingsMatched: 1, predictionsAdded: 1, conflicts: [] });
    expect(listRecordings(out).map((r) => r.path)).toEqual(['/mnt/archive/x.wav']);
    expect(predictions(out).map(([path, , run]) => `${path} ${run}`)).toEqual(['/mnt/archive/x.wav run-a', '/mnt/archive/x.wav run-b']);
  });

  it('reports other content at the same path and leaves only that recording out', () => {
    const a = shard((db) => predictFile(db, { model: MODEL, runId: 'run-a', recording: at('/data/x.wav', 'first'), windows: [window(0, 'sad', 0.6)] }));
    const b = shard((db) => {
      predictFile(db, { model: MODEL, runId: 'run-b', recording: at('/data/x.wav', 'second'), windows: [window(0, 'calm', 0.6), window(1, 'calm', 0.6)] });
      predictFile(db, { model: MODEL, runId: 'run-b', recording: virtualRecording('y.wav'), windows: [window(0, 'calm', 0.6)] });
    });
    const out = target();
    mergeStore(out, a);
    const report = mergeStore(out, b);
    expect(report.conflicts).toHaveLength(1);
    expect(report.conflicts[0]).toMatch(/^\/data\/x\.wav: content hash-of-seco here but hash-of-firs in the target .*its predictions \(2\) were not merged$/);
    expect(report).toMatchObject({ recordingsAdded: 1, predictionsAdded: 1 });
    expect(getRecordingByPath(out, '/data/x.wav')?.contentHash).toBe('hash-of-first');
    expect(predictions(out).map(([path, , run]) => `${path} ${run}`)).toEqual(['/data/x.wav run-a', '/virtual/y.wav run-b']);
  });

  it('reports a model stored with other classes and leaves its predictions out', () => {
    const a = shard((db) => predictFile(db, { model: MODEL, runId: 'run-a', recording: virtualRecording('1.wav'), windows: [window(0, 'sad', 0.6)] }));
    const reordered = { ...MODEL, labels: [...MODEL.labels].reverse() };
    const b = shard((db) => predictFile(db, { model: reordered, runId: 'run-b', recording: virtualRecording('2.wav'), windows: [window(0, 'sad', 0.6)] }));
    const out = target();
    mergeStore(out, a);
    const report = mergeStore(out, b);
    expect(report.conflicts).toEqual([expect.stringMatching(/^model "baseline" version 1\.0 is stored with classes \[neutral, .*its predictions \(1\) were not merged$/)]);
    expect(report.predictionsAdded).toBe(0);
    expect(listModels(out)).toHaveLength(1);
    expect(predictions(out)).toHaveLength(1);
  });

  it('reports a run whose windows for a file differ from those already merged', () => {
    const a = shard((db) => predictFile(db, { model: MODEL, runId: 'run-1', recording: virtualRecording('1.wav'), windows: [window(0, 'sad', 0.6)] }));
    const b = shard((db) => predictFile(db, { model: MODEL, runId: 'run-1', recording: virtualRecording('1.wav'), windows: [window(0, 'sad', 0.61)] }));
    const out = target();
    mergeStore(out, a);
    const report = mergeStore(out, b);
    expect(report.conflicts).toEqual(['/virtual/1.wav: run run-1 of model "baseline" has other windows here (1) than in the target (1); they were not merged']);
    expect(predictions(out)).toEqual(readPredictions(a));
  });

  it('refuses a workspace with annotations instead of merging part of it', () => {
    const workspace = shard((db) => {
      const { recording } = predictFile(db, { model: MODEL, runId: 'r', recording: virtualRecording('1.wav'), windows: [window(0, 'sad', 0.6)] });
      const session = createSession(db, { name: 'week 1' });
      addAnnotation(db, { recordingId: recording.id, sessionId: session.id, startSec: 0, endSec: 1, label: 'sad' });
    });
    const out = target();
    expect(mergeStore(out, workspace)).toMatchObject({
      recordingsAdded: 0,
      predictionsAdded: 0,
      conflicts: ['holds labelling sessions (1), annotations (1), which a merge does not carry; nothing of it was merged'],
    });
    expect(listRecordings(out)).toEqual([]);
  });
});
