/**
 * What decoding found wrong with a file when a run classified it ("truncated: 1.2 s of 3.6 s"),
 * kept by recording and run: a recording's warnings are those of its latest run.
 */
import { statement, type StoreDb } from './db.ts';
import { StoreError } from './errors.ts';

/** Records a run's warnings for one recording; nothing is written when there are none. */
export function recordDecodeWarnings(db: StoreDb, recordingId: number, runId: string, warnings: readonly string[]): void {
  if (warnings.length === 0) return;
  if (warnings.some((w) => typeof w !== 'string' || w.trim() === '')) throw new StoreError('a decode warning must be a non-empty sentence');
  statement<[number, string, string]>(db, 'INSERT INTO decode_warnings (recording_id, run_id, warnings) VALUES (?, ?, ?)').run(
    recordingId,
    runId,
    JSON.stringify(warnings),
  );
}

/** The warnings of one recording's run, in the order decoding found them; empty when it had none. */
export function decodeWarnings(db: StoreDb, recordingId: number, runId: string): string[] {
  const json = statement<[number, string], string>(db, 'SELECT warnings FROM decode_warnings WHERE recording_id = ? AND run_id = ?')
    .pluck()
    .get(recordingId, runId);
  return json === undefined ? [] : (JSON.parse(json) as string[]);
}
