/**
 * Decode warnings in the store (issue 16 item 13): a run keeps what decoding found wrong with each
 * file, a recording shows those of its latest run, and a merge carries them with the run's windows.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeWarnings, insertPredictions, latestRuns, mergeStore, StoreError, type StoreDb } from '../../electron/store/index.ts';
import { MODEL, storeSequence, virtualRecording, window } from '../helpers/store-fixtures.ts';

const stores = storeSequence('ser-store-decode-warnings-');
const TRUNCATED = 'truncated: 1.0 s of 2.0 s';

/** One run over a.wav and b.wav at the given time (created_at orders runs), with a.wav's warnings. */
function run(db: StoreDb, runId: string, at: string, aWarnings: string[]) {
  vi.setSystemTime(new Date(at));
  return insertPredictions(db, {
    model: MODEL,
    runId,
    files: [
      { recording: virtualRecording('a.wav'), windows: [window(0, 'sad', 0.6)], warnings: aWarnings },
      { recording: virtualRecording('b.wav'), windows: [window(0, 'calm', 0.6)] },
    ],
  }).files.map((f) => f.recording.id);
}

describe('decode warnings in the store', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('keeps a run\'s warnings by recording; a later clean run clears them from the latest, leaving the earlier run\'s', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const db = stores.next();
    const [a, b] = run(db, 'r1', '2026-01-01T10:00:00Z', [TRUNCATED, 'a second warning']);
    expect(latestRuns(db).get(a)!.warnings).toEqual([TRUNCATED, 'a second warning']);
    expect(latestRuns(db).get(b)!.warnings).toEqual([]);
    run(db, 'r2', '2026-01-01T11:00:00Z', []);
    expect(latestRuns(db).get(a)).toMatchObject({ runId: 'r2', warnings: [] });
    expect(decodeWarnings(db, a, 'r1')).toEqual([TRUNCATED, 'a second warning']);
    run(db, 'r3', '2026-01-01T12:00:00Z', [TRUNCATED]);
    expect(latestRuns(db).get(a)).toMatchObject({ runId: 'r3', warnings: [TRUNCATED] });
  });

  it('refuses an empty warning, storing nothing of the batch', () => {
    const db = stores.next();
    expect(() => run(db, 'r', '2026-01-01T10:00:00Z', ['  '])).toThrow(StoreError);
    expect(latestRuns(db).size).toBe(0);
  });

  it('carries a run\'s warnings through a merge, and merging again changes nothing', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const shard = stores.next();
    run(shard, 'r1', '2026-01-01T10:00:00Z', [TRUNCATED]);
    const file = shard.name;
    const target = stores.next();
    expect(mergeStore(target, file)).toMatchObject({ predictionsAdded: 2, conflicts: [] });
    expect(mergeStore(target, file)).toMatchObject({ predictionsAdded: 0, predictionsPresent: 2, conflicts: [] });
    const warningsOf = new Map([...latestRuns(target)].map(([id, r]) => [id, r.warnings]));
    const ids = target.prepare('SELECT id FROM recordings ORDER BY path').pluck().all() as number[];
    expect(ids.map((id) => warningsOf.get(id))).toEqual([[TRUNCATED], []]);
  });
});
