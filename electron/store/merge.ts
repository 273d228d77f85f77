import { inTransaction, statement, type StoreDb } from './db.ts';
import { decodeWarnings, recordDecodeWarnings } from './decode-warnings.ts';
import { StoreError } from './errors.ts';
import { ensureModel, listModels, type Model } from './models.ts';
import { openStore } from './open.ts';
import { predictionInsert, STORED_WINDOW_COLUMNS, type StoredWindow } from './predictions.ts';
import { getRecordingByPath, insertRecording, listRecordings, recordingsWithContent, type Recording } from './recordings.ts';

/** What merging one database into another did. */
export interface MergeReport {
  recordingsAdded: number;
  /** Recordings whose content the target already held, under the same path or another. */
  recordingsMatched: number;
  predictionsAdded: number;
  /** Predictions the target already held (the same run merged before): merging again changes nothing. */
  predictionsPresent: number;
  /** Classification runs that predictions were added to. */
  runs: number;
  /** One line per disagreement between the databases, saying what was left out because of it. */
  conflicts: string[];
}

/**
 * What `ser classify --db` never writes: a database holding any of it is the app's workspace, not a
 * shard, and merging only its recordings and predictions would drop the rest without a word.
 */
const UNCARRIED: [table: string, what: string][] = [
  ['sessions', 'labelling sessions'],
  ['annotations', 'annotations'],
  ['training_runs', 'training runs'],
  ['library_folders', 'library folders'],
];

type SourceRow = [recordingId: number, modelId: number, runId: string, ...StoredWindow];

const shortHash = (hash: string) => hash.slice(0, 12);
const count = (db: StoreDb, sql: string, ...params: unknown[]) => statement<unknown[], number>(db, sql).pluck().get(...params) ?? 0;
const sameWindows = (a: readonly StoredWindow[], b: readonly StoredWindow[]) =>
  a.length === b.length && a.every((w, i) => w[0] === b[i][0] && w[1] === b[i][1] && w[2].equals(b[i][2]));

/**
 * Merges the recordings, models and predictions of the database `file` (the output of one
 * `ser classify --shard i/n --db`) into target, in one transaction. Recordings are matched by
 * content hash, so a shard that saw the shared storage under another mount point still lands on
 * the same recording; models by name and version; runs keep their ids. What the two disagree on is
 * left out and reported in `conflicts`, never dropped in silence: the same path with other content,
 * a model with other classes, or a run's windows for a file that differ from those already merged.
 * A run's decode warnings for a file come with its windows.
 * Predictions already there are skipped, so a merge interrupted or repeated can simply be run again.
 */
export function mergeStore(target: StoreDb, file: string): MergeReport {
  const source = openStore(file, { readonly: true });
  try {
    const report: MergeReport = { recordingsAdded: 0, recordingsMatched: 0, predictionsAdded: 0, predictionsPresent: 0, runs: 0, conflicts: [] };
    const uncarried = UNCARRIED.map(([table, what]) => [count(source, `SELECT COUNT(*) FROM ${table}`), what] as const).filter(([n]) => n > 0);
    if (uncarried.length > 0) {
      report.conflicts.push(`holds ${uncarried.map(([n, what]) => `${what} (${n})`).join(', ')}, which a merge does not carry; nothing of it was merged`);
      return report;
    }
    return inTransaction(target, () => mergeInto(target, source, report));
  } finally {
    source.close();
  }
}

function mergeInto(target: StoreDb, source: StoreDb, report: MergeReport): MergeReport {
  const models = new Map<number, Model>();
  for (const model of listModels(source)) {
    try {
      models.set(model.id, ensureModel(target, model));
    } catch (err) {
      if (!(err instanceof StoreError)) throw err;
      const n = count(source, 'SELECT COUNT(*) FROM predictions WHERE model_id = ?', model.id);
      report.conflicts.push(`${err.message}; its predictions (${n}) were not merged`);
    }
  }

  const recordings = new Map<number, Recording>();
  for (const { id, ...recording } of listRecordings(source)) {
    const sameContent = recordingsWithContent(target, recording.contentHash)[0];
    if (sameContent) {
      recordings.set(id, sameContent);
      report.recordingsMatched++;
      continue;
    }
    const atPath = getRecordingByPath(target, recording.path);
    if (atPath) {
      const n = count(source, 'SELECT COUNT(*) FROM predictions WHERE recording_id = ?', id);
      report.conflicts.push(
        `${recording.path}: content ${shortHash(recording.contentHash)} here but ${shortHash(atPath.contentHash)} in the target ` +
          `(another file at the same path); its predictions (${n}) were not merged`,
      );
      continue;
    }
    recordings.set(id, insertRecording(target, recording));
    report.recordingsAdded++;
  }

  const insert = predictionInsert(target);
  const existing = statement<[number, number, string], StoredWindow>(
    target,
    `SELECT ${STORED_WINDOW_COLUMNS} FROM predictions
     WHERE recording_id = ? AND model_id = ? AND run_id = ? ORDER BY start_sec, id`,
  ).raw(true);
  const runs = new Set<string>();
  /** One file's windows in one run of one model: merged whole or not at all. */
  const mergeGroup = (sourceRecording: number, sourceModel: number, runId: string, windows: StoredWindow[]) => {
    const recording = recordings.get(sourceRecording);
    const model = models.get(sourceModel);
    if (!recording || !model) return; // its recording's or model's conflict has counted it
    const present = existing.all(recording.id, model.id, runId);
    if (present.length === 0) {
      for (const w of windows) insert.run(recording.id, model.id, runId, ...w);
      recordDecodeWarnings(target, recording.id, runId, decodeWarnings(source, sourceRecording, runId));
      report.predictionsAdded += windows.length;
      runs.add(runId);
    } else if (sameWindows(windows, present)) {
      report.predictionsPresent += windows.length;
    } else {
      report.conflicts.push(
        `${recording.path}: run ${runId} of model "${model.name}" has other windows here (${windows.length}) than in the target ` +
          `(${present.length}); they were not merged`,
      );
    }
  };

  // In the order of the predictions_recording index, so each group's rows arrive together.
  const rows = statement<[], SourceRow>(
    source,
    `SELECT recording_id, model_id, run_id, ${STORED_WINDOW_COLUMNS}
     FROM predictions ORDER BY recording_id, model_id, run_id, start_sec, id`,
  ).raw(true);
  let group: { recording: number; model: number; runId: string; windows: StoredWindow[] } | undefined;
  for (const [recording, model, runId, ...window] of rows.iterate()) {
    if (!group || group.recording !== recording || group.model !== model || group.runId !== runId) {
      if (group) mergeGroup(group.recording, group.model, group.runId, group.windows);
      group = { recording, model, runId, windows: [] };
    }
    group.windows.push(window);
  }
  if (group) mergeGroup(group.recording, group.model, group.runId, group.windows);
  report.runs = runs.size;
  return report;
}
