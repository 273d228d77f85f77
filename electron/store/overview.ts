/** Per-recording and per-session figures the app's lists show beside each item. */
import { windowsForMean } from '../shared/outcomes.ts';
import { statement, type StoreDb } from './db.ts';
import { getModelById } from './models.ts';
import { decodeProbabilities } from './predictions.ts';

/** Annotations per recording (of one session, or of all). */
export function annotationCountsByRecording(db: StoreDb, filter: { sessionId?: number } = {}): Map<number, number> {
  const rows = statement<[{ session: number | null }], { recording_id: number; n: number }>(
    db,
    `SELECT recording_id, COUNT(*) AS n FROM annotations WHERE @session IS NULL OR session_id = @session GROUP BY recording_id`,
  ).all({ session: filter.sessionId ?? null });
  return new Map(rows.map((r) => [r.recording_id, r.n]));
}

export function annotationCountsBySession(db: StoreDb): Map<number, number> {
  const rows = statement<[], { session_id: number; n: number }>(db, 'SELECT session_id, COUNT(*) AS n FROM annotations GROUP BY session_id').all();
  return new Map(rows.map((r) => [r.session_id, r.n]));
}

/** Recordings with at least one annotation of this label (in one session, or in any). */
export function recordingsAnnotatedAs(db: StoreDb, label: string, filter: { sessionId?: number } = {}): Set<number> {
  const ids = statement<[{ label: string; session: number | null }], number>(
    db,
    'SELECT DISTINCT recording_id FROM annotations WHERE label = @label AND (@session IS NULL OR session_id = @session)',
  )
    .pluck()
    .all({ label, session: filter.sessionId ?? null });
  return new Set(ids);
}

/** A recording's most recent classification run: the mean of its windows' probabilities (over those with speech). */
export interface LatestRun {
  modelId: number;
  modelName: string;
  runId: string;
  labels: string[];
  /** In the order of labels. */
  mean: number[];
  /** No window of the run holds speech (the mean is then over all of them). */
  noSpeech: boolean;
  at: string;
  /** What decoding found wrong with the file in this run; empty when nothing. */
  warnings: string[];
}

/**
 * The latest run of every classified recording. SQLite takes the bare columns of a MAX() aggregate
 * from the row holding the maximum, so one grouped scan finds each recording's latest run; only
 * that run's windows are then decoded.
 */
export function latestRuns(db: StoreDb): Map<number, LatestRun> {
  // The run's decode warnings come with it: one join rather than a query per recording.
  const runs = statement<[], { recording_id: number; model_id: number; run_id: string; at: string; warnings: string | null }>(
    db,
    `SELECT r.recording_id, r.model_id, r.run_id, r.at, w.warnings
     FROM (SELECT recording_id, model_id, run_id, MAX(created_at) AS at FROM predictions GROUP BY recording_id) r
     LEFT JOIN decode_warnings w ON w.recording_id = r.recording_id AND w.run_id = r.run_id`,
  ).all();
  const windows = statement<[number, number, string], { probabilities: string; speech: number | null }>(
    db,
    'SELECT hex(probabilities) AS probabilities, speech_share AS speech FROM predictions WHERE recording_id = ? AND model_id = ? AND run_id = ?',
  );
  const models = new Map<number, { name: string; labels: string[] }>();
  const latest = new Map<number, LatestRun>();
  for (const run of runs) {
    let model = models.get(run.model_id);
    if (!model) models.set(run.model_id, (model = getModelById(db, run.model_id)!));
    const mean = new Array<number>(model.labels.length).fill(0);
    const all = windows.all(run.recording_id, run.model_id, run.run_id);
    const { counted, noSpeech } = windowsForMean(all, (w) => w.speech);
    for (const w of counted) decodeProbabilities(w.probabilities).forEach((p, k) => (mean[k] += p / counted.length));
    latest.set(run.recording_id, {
      modelId: run.model_id,
      modelName: model.name,
      runId: run.run_id,
      labels: model.labels,
      mean,
      noSpeech,
      at: run.at,
      warnings: run.warnings === null ? [] : (JSON.parse(run.warnings) as string[]),
    });
  }
  return latest;
}
