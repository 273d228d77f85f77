import { inTransaction, nowIso, statement, type StoreDb } from './db.ts';
import { StoreError } from './errors.ts';
import { DEFAULT_LABEL_SET, getLabelSet, getLabelSetById, type LabelSet } from './label-sets.ts';

export interface Session {
  id: number;
  name: string;
  annotator: string | null;
  labelSetId: number;
  notes: string | null;
  createdAt: string;
  updatedAt: string;
}

interface SessionRow {
  id: number;
  name: string;
  annotator: string | null;
  label_set_id: number;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

const fromRow = (r: SessionRow): Session => ({
  id: r.id,
  name: r.name,
  annotator: r.annotator,
  labelSetId: r.label_set_id,
  notes: r.notes,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface NewSession {
  name: string;
  annotator?: string;
  /** Name of the label set; the eight RAVDESS emotions by default. */
  labelSet?: string;
  /** Or its id (a set chosen in the UI); given both, they must name the same set. */
  labelSetId?: number;
  notes?: string;
  /** What its default tier (named like the session) holds: spans, unless an imported point tier becomes the session. */
  tierKind?: 'interval' | 'point';
}

export function createSession(db: StoreDb, input: NewSession): Session {
  const labelSet = newSessionLabelSet(db, input);
  if (getSessionByName(db, input.name)) throw new StoreError(`a session named "${input.name}" already exists`);
  const now = nowIso();
  return inTransaction(db, () => {
    const { lastInsertRowid } = statement(
      db,
      'INSERT INTO sessions (name, annotator, label_set_id, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(input.name, input.annotator ?? null, labelSet.id, input.notes ?? null, now, now);
    // Its default tier, named like it: annotations given no tier go there.
    statement(db, 'INSERT INTO tiers (session_id, name, kind, created_at) VALUES (?, ?, ?, ?)').run(lastInsertRowid, input.name, input.tierKind ?? 'interval', now);
    return getSession(db, Number(lastInsertRowid))!;
  });
}

function newSessionLabelSet(db: StoreDb, input: NewSession): LabelSet {
  if (input.labelSetId !== undefined) {
    const byId = getLabelSetById(db, input.labelSetId);
    if (input.labelSet !== undefined && input.labelSet !== byId.name) throw new StoreError(`label set ${input.labelSetId} is "${byId.name}", not "${input.labelSet}"`);
    return byId;
  }
  const name = input.labelSet ?? DEFAULT_LABEL_SET;
  const byName = getLabelSet(db, name);
  if (!byName) throw new StoreError(`no label set named "${name}"`);
  return byName;
}

export function getSession(db: StoreDb, id: number): Session | undefined {
  const row = statement<[number], SessionRow>(db, 'SELECT * FROM sessions WHERE id = ?').get(id);
  return row && fromRow(row);
}

export function getSessionByName(db: StoreDb, name: string): Session | undefined {
  const row = statement<[string], SessionRow>(db, 'SELECT * FROM sessions WHERE name = ?').get(name);
  return row && fromRow(row);
}

export function listSessions(db: StoreDb): Session[] {
  return statement<[], SessionRow>(db, 'SELECT * FROM sessions ORDER BY created_at, id').all().map(fromRow);
}

export function sessionLabelSet(db: StoreDb, session: Session): LabelSet {
  return getLabelSetById(db, session.labelSetId);
}

/** A label an annotation or point of this session may carry: a class of its label set. */
export function checkSessionLabel(db: StoreDb, session: Session, label: string): void {
  const { name, labels } = sessionLabelSet(db, session);
  if (!labels.includes(label)) throw new StoreError(`"${label}" is not a class of label set "${name}" (${labels.join(', ')})`);
}

export function updateSession(db: StoreDb, id: number, changes: { name?: string; annotator?: string | null; notes?: string | null }): Session {
  const current = getSession(db, id);
  if (!current) throw new StoreError(`no session with id ${id}`);
  const name = changes.name ?? current.name;
  const other = getSessionByName(db, name);
  if (other && other.id !== id) throw new StoreError(`a session named "${name}" already exists`);
  statement(db, 'UPDATE sessions SET name = ?, annotator = ?, notes = ?, updated_at = ? WHERE id = ?').run(
    name,
    changes.annotator === undefined ? current.annotator : changes.annotator,
    changes.notes === undefined ? current.notes : changes.notes,
    nowIso(),
    id,
  );
  return getSession(db, id)!;
}

/** Session membership: the recordings a labelling session works through, annotated yet or not. */
export function addRecordingToSession(db: StoreDb, sessionId: number, recordingId: number): void {
  statement(db, 'INSERT OR IGNORE INTO session_recordings (session_id, recording_id) VALUES (?, ?)').run(sessionId, recordingId);
}

export function addRecordingsToSession(db: StoreDb, sessionId: number, recordingIds: readonly number[]): void {
  inTransaction(db, () => {
    for (const id of recordingIds) addRecordingToSession(db, sessionId, id);
  });
}
