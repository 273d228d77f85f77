import { inTransaction, nowIso, statement, type StoreDb } from './db.ts';
import { StoreError } from './errors.ts';
import { getRecording } from './recordings.ts';
import { addRecordingToSession, checkSessionLabel, getSession } from './sessions.ts';
import { checkTier, defaultTier } from './tiers.ts';

/** RAVDESS's two intensity levels. */
export type Intensity = 'normal' | 'strong';

export interface Annotation {
  id: number;
  recordingId: number;
  sessionId: number;
  /** One of the session's interval tiers. */
  tierId: number;
  startSec: number;
  endSec: number;
  label: string;
  intensity: Intensity | null;
  annotator: string | null;
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NewAnnotation {
  recordingId: number;
  sessionId: number;
  /** Defaults to the session's default tier. */
  tierId?: number;
  startSec: number;
  endSec: number;
  label: string;
  intensity?: Intensity | null;
  /** Defaults to the session's annotator. */
  annotator?: string | null;
  note?: string | null;
}

export type AnnotationChanges = Partial<Pick<Annotation, 'tierId' | 'startSec' | 'endSec' | 'label' | 'intensity' | 'annotator' | 'note'>>;

interface AnnotationRow {
  id: number;
  recording_id: number;
  session_id: number;
  tier_id: number;
  start_sec: number;
  end_sec: number;
  label: string;
  intensity: Intensity | null;
  annotator: string | null;
  note: string | null;
  created_at: string;
  updated_at: string;
}

const fromRow = (r: AnnotationRow): Annotation => ({
  id: r.id,
  recordingId: r.recording_id,
  sessionId: r.session_id,
  tierId: r.tier_id,
  startSec: r.start_sec,
  endSec: r.end_sec,
  label: r.label,
  intensity: r.intensity,
  annotator: r.annotator,
  note: r.note,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

function check(db: StoreDb, a: Omit<Annotation, 'id' | 'createdAt' | 'updatedAt'>): void {
  const session = getSession(db, a.sessionId);
  if (!session) throw new StoreError(`no session with id ${a.sessionId}`);
  if (!getRecording(db, a.recordingId)) throw new StoreError(`no recording with id ${a.recordingId}`);
  if (!Number.isFinite(a.startSec) || !Number.isFinite(a.endSec) || a.startSec < 0 || a.endSec <= a.startSec) {
    throw new StoreError(`annotation span ${a.startSec}..${a.endSec} s must satisfy 0 <= start < end`);
  }
  checkTier(db, a.tierId, a.sessionId, 'interval');
  checkSessionLabel(db, session, a.label);
  if (a.intensity !== null && a.intensity !== 'normal' && a.intensity !== 'strong') {
    throw new StoreError(`intensity must be "normal" or "strong", got "${String(a.intensity)}"`);
  }
}

const INSERT = `INSERT INTO annotations
  (id, recording_id, session_id, tier_id, start_sec, end_sec, label, intensity, annotator, note, created_at, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

function touchSession(db: StoreDb, sessionId: number, at: string): void {
  statement(db, 'UPDATE sessions SET updated_at = ? WHERE id = ?').run(at, sessionId);
}

function insert(db: StoreDb, a: Annotation | (Omit<Annotation, 'id'> & { id: null })): Annotation {
  check(db, a);
  return inTransaction(db, () => {
    const { lastInsertRowid } = statement(db, INSERT).run(
      a.id,
      a.recordingId,
      a.sessionId,
      a.tierId,
      a.startSec,
      a.endSec,
      a.label,
      a.intensity,
      a.annotator,
      a.note,
      a.createdAt,
      a.updatedAt,
    );
    addRecordingToSession(db, a.sessionId, a.recordingId);
    touchSession(db, a.sessionId, nowIso());
    return getAnnotation(db, Number(lastInsertRowid))!;
  });
}

export function addAnnotation(db: StoreDb, input: NewAnnotation): Annotation {
  const now = nowIso();
  const annotator = input.annotator === undefined ? (getSession(db, input.sessionId)?.annotator ?? null) : input.annotator;
  return insert(db, {
    id: null,
    recordingId: input.recordingId,
    sessionId: input.sessionId,
    tierId: input.tierId ?? defaultTier(db, input.sessionId).id,
    startSec: input.startSec,
    endSec: input.endSec,
    label: input.label,
    intensity: input.intensity ?? null,
    annotator,
    note: input.note ?? null,
    createdAt: now,
    updatedAt: now,
  });
}

export function getAnnotation(db: StoreDb, id: number): Annotation | undefined {
  const row = statement<[number], AnnotationRow>(db, 'SELECT * FROM annotations WHERE id = ?').get(id);
  return row && fromRow(row);
}

/** Returns the annotation before and after, so undo is an update back to `before`. */
export function updateAnnotation(db: StoreDb, id: number, changes: AnnotationChanges): { before: Annotation; after: Annotation } {
  const before = getAnnotation(db, id);
  if (!before) throw new StoreError(`no annotation with id ${id}`);
  const next = { ...before, ...changes, updatedAt: nowIso() };
  check(db, next);
  const after = inTransaction(db, () => {
    statement(
      db,
      `UPDATE annotations SET tier_id = ?, start_sec = ?, end_sec = ?, label = ?, intensity = ?, annotator = ?, note = ?, updated_at = ?
       WHERE id = ?`,
    ).run(next.tierId, next.startSec, next.endSec, next.label, next.intensity, next.annotator, next.note, next.updatedAt, id);
    touchSession(db, next.sessionId, next.updatedAt);
    return getAnnotation(db, id)!;
  });
  return { before, after };
}

/** Returns the deleted annotation: passing it to restoreAnnotation undoes the delete under the same id. */
export function deleteAnnotation(db: StoreDb, id: number): Annotation {
  const annotation = getAnnotation(db, id);
  if (!annotation) throw new StoreError(`no annotation with id ${id}`);
  inTransaction(db, () => {
    statement(db, 'DELETE FROM annotations WHERE id = ?').run(id);
    touchSession(db, annotation.sessionId, nowIso());
  });
  return annotation;
}

/** An annotation given without its tier (the renderer's copy has none) goes back to the session's default tier. */
export function restoreAnnotation(db: StoreDb, annotation: Omit<Annotation, 'tierId'> & { tierId?: number }): Annotation {
  if (getAnnotation(db, annotation.id)) throw new StoreError(`annotation ${annotation.id} exists; nothing to restore`);
  return insert(db, { ...annotation, tierId: annotation.tierId ?? defaultTier(db, annotation.sessionId).id });
}

export function listAnnotations(db: StoreDb, filter: { sessionId?: number; recordingId?: number; tierId?: number } = {}): Annotation[] {
  return statement<[{ session: number | null; recording: number | null; tier: number | null }], AnnotationRow>(
    db,
    `SELECT * FROM annotations
     WHERE (@session IS NULL OR session_id = @session) AND (@recording IS NULL OR recording_id = @recording)
       AND (@tier IS NULL OR tier_id = @tier)
     ORDER BY recording_id, start_sec, id`,
  )
    .all({ session: filter.sessionId ?? null, recording: filter.recordingId ?? null, tier: filter.tierId ?? null })
    .map(fromRow);
}

/** An annotation with the names a report shows instead of ids. */
export interface AnnotationReportRow extends Annotation {
  path: string;
  sessionName: string;
}

/** Streams annotations (one session, or all) ordered by session, path and time, without loading them all. */
export function* iterateAnnotationReport(db: StoreDb, filter: { sessionId?: number } = {}): Generator<AnnotationReportRow> {
  const rows = statement<[{ session: number | null }], AnnotationRow & { path: string; session_name: string }>(
    db,
    `SELECT a.*, r.path, s.name AS session_name
     FROM annotations a JOIN recordings r ON r.id = a.recording_id JOIN sessions s ON s.id = a.session_id
     WHERE @session IS NULL OR a.session_id = @session
     ORDER BY s.name, r.path, a.start_sec, a.id`,
  ).iterate({ session: filter.sessionId ?? null });
  for (const row of rows) yield { ...fromRow(row), path: row.path, sessionName: row.session_name };
}
