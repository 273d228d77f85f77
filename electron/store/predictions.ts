import { inTransaction, nowIso, statement, type StoreDb } from './db.ts';
import { recordDecodeWarnings } from './decode-warnings.ts';
import { RecordingChangedError, StoreError } from './errors.ts';
import { ensureModel, getModelById, type Model, type ModelSpec } from './models.ts';
import {
  getRecording,
  readRecordingFacts,
  storeRecording,
  type ProbeAudio,
  type Recording,
  type RecordingFacts,
  type StoredRecording,
} from './recordings.ts';

export interface WindowPrediction {
  start: number;
  end: number;
  /** One probability per class of the model. */
  probabilities: Readonly<Record<string, number>>;
  /** Share of the window's 10 ms frames that hold speech (audio/vad.ts); left out where not measured. */
  speech?: number;
}

export interface FilePredictions {
  recording: RecordingFacts;
  windows: readonly WindowPrediction[];
  /** What decoding found wrong with the file ("truncated: 1.2 s of 3.6 s"), kept with the run. */
  warnings?: readonly string[];
}

export interface PredictionBatch {
  /** Registered on first use. */
  model: ModelSpec;
  /** Groups the predictions of one classification run (e.g. one `ser classify` call). */
  runId: string;
  files: readonly FilePredictions[];
}

export interface RecordedFile extends StoredRecording {
  inserted: number;
}

export interface RecordedBatch {
  modelId: number;
  files: RecordedFile[];
}

/** Allowed drift of a softmax output outside [0, 1] from float32 rounding. */
const PROBABILITY_SLACK = 1e-6;

/** A window checked and encoded as stored: float32 probabilities in label order. */
interface EncodedWindow {
  start: number;
  end: number;
  probabilities: Buffer;
  label: string;
  confidence: number;
  speechShare: number | null;
}

function encodeWindow(labels: readonly string[], w: WindowPrediction): EncodedWindow {
  if (!(Number.isFinite(w.start) && Number.isFinite(w.end) && w.start >= 0 && w.end > w.start)) {
    throw new StoreError(`window ${w.start}..${w.end} s must satisfy 0 <= start < end`);
  }
  if (w.speech !== undefined && !(Number.isFinite(w.speech) && w.speech >= 0 && w.speech <= 1)) {
    throw new StoreError(`window ${w.start}..${w.end} s: speech share must be a number in [0, 1], got ${String(w.speech)}`);
  }
  for (const key in w.probabilities) {
    if (!labels.includes(key)) throw new StoreError(`window ${w.start}..${w.end} s has a probability for "${key}", not a class of the model`);
  }
  const probabilities = Buffer.allocUnsafe(labels.length * 4);
  let top = 0;
  labels.forEach((label, i) => {
    const p = w.probabilities[label];
    if (typeof p !== 'number' || !Number.isFinite(p) || p < -PROBABILITY_SLACK || p > 1 + PROBABILITY_SLACK) {
      throw new StoreError(`window ${w.start}..${w.end} s: probability of "${label}" must be a number in [0, 1], got ${String(p)}`);
    }
    probabilities.writeFloatLE(p, i * 4);
    if (p > w.probabilities[labels[top]]) top = i;
  });
  return { start: w.start, end: w.end, probabilities, label: labels[top], confidence: probabilities.readFloatLE(top * 4), speechShare: w.speech ?? null };
}

/** Upper-case hex digit (as SQLite's hex() writes them) to its value. */
const NIBBLE = new Uint8Array(128);
for (let d = 0; d < 16; d++) NIBBLE['0123456789ABCDEF'.charCodeAt(d)] = d;
const float32 = new DataView(new ArrayBuffer(4));

/** The probabilities from the hex text of their blob: float32, little-endian, 8 hex digits each. */
export function decodeProbabilities(hex: string): number[] {
  const values = new Array<number>(hex.length / 8);
  for (let i = 0, c = 0; i < values.length; i++) {
    for (let b = 0; b < 4; b++, c += 2) float32.setUint8(b, (NIBBLE[hex.charCodeAt(c)] << 4) | NIBBLE[hex.charCodeAt(c + 1)]);
    values[i] = float32.getFloat32(0, true);
  }
  return values;
}

/** A stored prediction's columns after its recording, model and run: what a merge copies from one database to another. */
export type StoredWindow = [startSec: number, endSec: number, probabilities: Buffer, topLabel: string, confidence: number, speechShare: number | null, createdAt: string];

/** The columns of a StoredWindow, in its order. */
export const STORED_WINDOW_COLUMNS = 'start_sec, end_sec, probabilities, top_label, confidence, speech_share, created_at';

/** The one statement that adds predictions: run(recordingId, modelId, runId, ...StoredWindow). */
export function predictionInsert(db: StoreDb) {
  return statement<[recordingId: number, modelId: number, runId: string, ...StoredWindow]>(
    db,
    `INSERT INTO predictions (recording_id, model_id, run_id, ${STORED_WINDOW_COLUMNS})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
}

/**
 * Records the window predictions of one or more files, with their recordings and the model, in
 * a single transaction: after a crash either all of the batch is there or none of it. A file
 * edited since it was imported fails the batch (RecordingChangedError) unless acceptChanges is set.
 */
export function insertPredictions(db: StoreDb, batch: PredictionBatch, options: { acceptChanges?: boolean } = {}): RecordedBatch {
  if (batch.runId === '') throw new StoreError('a prediction batch needs a run id');
  const labels = batch.model.labels;
  const encoded = batch.files.map((f) => f.windows.map((w) => encodeWindow(labels, w)));
  const insert = predictionInsert(db);
  return inTransaction(db, () => {
    const model = ensureModel(db, batch.model);
    const createdAt = nowIso();
    const files = batch.files.map((file, f) => {
      const stored = storeRecording(db, file.recording, options);
      if (stored.kind === 'changed') throw new RecordingChangedError(file.recording.path, stored.recording.id);
      for (const w of encoded[f]) {
        insert.run(stored.recording.id, model.id, batch.runId, w.start, w.end, w.probabilities, w.label, w.confidence, w.speechShare, createdAt);
      }
      recordDecodeWarnings(db, stored.recording.id, batch.runId, file.warnings ?? []);
      return { ...stored, inserted: encoded[f].length };
    });
    return { modelId: model.id, files };
  });
}

/** Records one file's predictions as `ser classify --db` produces them: hashes and probes the file first, outside the transaction. */
export async function recordPredictions(
  db: StoreDb,
  input: { model: ModelSpec; runId: string; file: string; windows: readonly WindowPrediction[]; warnings?: readonly string[] },
  options: { probe?: ProbeAudio; acceptChanges?: boolean } = {},
): Promise<RecordedFile & { modelId: number }> {
  const recording = await readRecordingFacts(input.file, options.probe);
  const file = { recording, windows: input.windows, warnings: input.warnings };
  const { modelId, files } = insertPredictions(db, { model: input.model, runId: input.runId, files: [file] }, options);
  return { ...files[0], modelId };
}

export interface PredictionFilter {
  modelId?: number;
  /** Recordings that belong to this labelling session. */
  sessionId?: number;
  runId?: string;
  recordingId?: number;
  /** Top label. */
  label?: string;
  minConfidence?: number;
}

/** A stored window prediction, as much of it as a report needs. */
export interface PredictionReportRow {
  recordingId: number;
  path: string;
  modelId: number;
  modelName: string;
  modelVersion: string;
  runId: string;
  startSec: number;
  endSec: number;
  /** The model's classes, shared by all rows of that model. */
  labels: readonly string[];
  /** In the order of labels. */
  probabilities: number[];
  /** Share of the window that holds speech; null where it was not measured (see lacksSpeech in shared/outcomes.ts). */
  speechShare: number | null;
  createdAt: string;
}

export interface PredictionRow extends PredictionReportRow {
  id: number;
  topLabel: string;
  confidence: number;
}

/**
 * The columns a report reads, then those a full row adds. better-sqlite3's cost is per column
 * read, so a report leaves out the three it does not use; and it gives each blob a Buffer of its
 * own allocation, so probabilities come as the hex text of their blob instead, which cut the time
 * to read and decode 100,000 rows by about a quarter.
 */
const REPORT_COLUMNS = 'recording_id, model_id, run_id, start_sec, end_sec, hex(probabilities), speech_share, created_at';
const ROW_COLUMNS = `${REPORT_COLUMNS}, id, top_label, confidence`;

type RawReportRow = [
  recordingId: number,
  modelId: number,
  runId: string,
  startSec: number,
  endSec: number,
  probabilitiesHex: string,
  speechShare: number | null,
  createdAt: string,
];
type RawRow = [...RawReportRow, id: number, topLabel: string, confidence: number];

const CONDITIONS: Record<keyof PredictionFilter, string> = {
  modelId: 'model_id = @modelId',
  sessionId: 'recording_id IN (SELECT recording_id FROM session_recordings WHERE session_id = @sessionId)',
  runId: 'run_id = @runId',
  recordingId: 'recording_id = @recordingId',
  label: 'top_label = @label',
  minConfidence: 'confidence >= @minConfidence',
};

/**
 * Only the filters in use enter the SQL, so SQLite can pick an index for them. Rows come grouped
 * by recording, model and run, in window order: what a per-file report needs. Paths and model
 * names are looked up once per recording and model rather than joined into every row.
 */
function selectPredictions<Raw>(db: StoreDb, columns: string, filter: PredictionFilter, page?: { limit: number; offset: number }) {
  const used = (Object.keys(CONDITIONS) as (keyof PredictionFilter)[]).filter((k) => filter[k] !== undefined);
  const where = used.length ? `WHERE ${used.map((k) => CONDITIONS[k]).join(' AND ')}` : '';
  const sql = `SELECT ${columns}
    FROM predictions ${where}
    ORDER BY recording_id, model_id, run_id, start_sec, id
    ${page ? 'LIMIT @limit OFFSET @offset' : ''}`;
  const params: Record<string, unknown> = { ...page };
  for (const k of used) params[k] = filter[k];
  // Confidences are float32: 0.9 is stored as 0.89999998, which a threshold of 0.9 must still take.
  if (filter.minConfidence !== undefined) params.minConfidence = Math.fround(filter.minConfidence);
  return { stmt: statement<[Record<string, unknown>], Raw>(db, sql).raw(true), params };
}

function reportRowMapper(db: StoreDb): (r: RawReportRow | RawRow) => PredictionReportRow {
  const models = new Map<number, Model>();
  let recording: Recording | undefined;
  return ([recordingId, modelId, runId, startSec, endSec, probabilitiesHex, speechShare, createdAt]) => {
    if (recording?.id !== recordingId) recording = getRecording(db, recordingId)!;
    let model = models.get(modelId);
    if (!model) models.set(modelId, (model = getModelById(db, modelId)!));
    return {
      recordingId,
      path: recording.path,
      modelId,
      modelName: model.name,
      modelVersion: model.version,
      runId,
      startSec,
      endSec,
      labels: model.labels,
      probabilities: decodeProbabilities(probabilitiesHex),
      speechShare,
      createdAt,
    };
  };
}

function rowMapper(db: StoreDb): (r: RawRow) => PredictionRow {
  const report = reportRowMapper(db);
  return (r) => ({ ...report(r), id: r[8], topLabel: r[9], confidence: r[10] });
}

/**
 * Streams matching predictions one row at a time. Until the iteration ends the connection cannot
 * write (better-sqlite3 refuses), so a long export in the app should use its own read-only
 * connection (openStore(file, { readonly: true })), which WAL lets run beside the writer.
 */
export function* iteratePredictions(db: StoreDb, filter: PredictionFilter = {}): Generator<PredictionRow> {
  const { stmt, params } = selectPredictions<RawRow>(db, ROW_COLUMNS, filter);
  const map = rowMapper(db);
  for (const row of stmt.iterate(params)) yield map(row);
}

/** Streams matching predictions as iteratePredictions does, reading only what a report needs. */
export function* iteratePredictionReport(db: StoreDb, filter: PredictionFilter = {}): Generator<PredictionReportRow> {
  const { stmt, params } = selectPredictions<RawReportRow>(db, REPORT_COLUMNS, filter);
  const map = reportRowMapper(db);
  for (const row of stmt.iterate(params)) yield map(row);
}

/** One page of matching predictions, in the same order (default: the first 1,000). */
export function queryPredictions(db: StoreDb, filter: PredictionFilter = {}, page = { limit: 1000, offset: 0 }): PredictionRow[] {
  const { stmt, params } = selectPredictions<RawRow>(db, ROW_COLUMNS, filter, page);
  return stmt.all(params).map(rowMapper(db));
}

/** The classes of the models that have predictions (or of the one model), each once, in the order the models list them. */
export function predictionLabels(db: StoreDb, filter: Pick<PredictionFilter, 'modelId'> = {}): string[] {
  const sets = statement<[{ modelId: number | null }], { labels: string }>(
    db,
    `SELECT l.labels FROM models m JOIN label_sets l ON l.id = m.label_set_id
     WHERE (@modelId IS NULL OR m.id = @modelId) AND EXISTS (SELECT 1 FROM predictions p WHERE p.model_id = m.id)
     ORDER BY m.id`,
  ).all({ modelId: filter.modelId ?? null });
  const labels = new Set<string>();
  for (const s of sets) for (const l of JSON.parse(s.labels) as string[]) labels.add(l);
  return [...labels];
}
