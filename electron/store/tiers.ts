import { inTransaction, nowIso, statement, type StoreDb } from './db.ts';
import { StoreError } from './errors.ts';
import { getRecording } from './recordings.ts';
import { addRecordingToSession, checkSessionLabel, getSession } from './sessions.ts';

/** A tier holds spans (annotations) or points in time. */
export type TierKind = 'interval' | 'point';

export interface Tier {
  id: number;
  sessionId: number;
  name: string;
  kind: TierKind;
  createdAt: string;
}

interface TierRow {
  id: number;
  session_id: number;
  name: string;
  kind: TierKind;
  created_at: string;
}

const fromRow = (r: TierRow): Tier => ({ id: r.id, sessionId: r.session_id, name: r.name, kind: r.kind, createdAt: r.created_at });

export function createTier(db: StoreDb, sessionId: number, name: string, kind: TierKind = 'interval'): Tier {
  if (!getSession(db, sessionId)) throw new StoreError(`no session with id ${sessionId}`);
  if (name.trim() === '') throw new StoreError('a tier name must not be blank');
  if (kind !== 'interval' && kind !== 'point') throw new StoreError(`a tier holds "interval"s or "point"s, not "${String(kind)}"`);
  if (getTierByName(db, sessionId, name)) throw new StoreError(`the session already has a tier named "${name}"`);
  const { lastInsertRowid } = statement(db, 'INSERT INTO tiers (session_id, name, kind, created_at) VALUES (?, ?, ?, ?)').run(
    sessionId,
    name,
    kind,
    nowIso(),
  );
  return getTier(db, Number(lastInsertRowid))!;
}

export function getTier(db: StoreDb, id: number): Tier | undefined {
  const row = statement<[number], TierRow>(db, 'SELECT * FROM tiers WHERE id = ?').get(id);
  return row && fromRow(row);
}

export function getTierByName(db: StoreDb, sessionId: number, name: string): Tier | undefined {
  const row = statement<[number, string], TierRow>(db, 'SELECT * FROM tiers WHERE session_id = ? AND name = ?').get(sessionId, name);
  return row && fromRow(row);
}

/** A session's tiers in the order they were made: the first is its default tier. */
export function listTiers(db: StoreDb, sessionId: number): Tier[] {
  return statement<[number], TierRow>(db, 'SELECT * FROM tiers WHERE session_id = ? ORDER BY id').all(sessionId).map(fromRow);
}

/** The tier annotations go to when none is named: the session's first interval tier, made if it has none. */
export function defaultTier(db: StoreDb, sessionId: number): Tier {
  const row = statement<[number], TierRow>(db, "SELECT * FROM tiers WHERE session_id = ? AND kind = 'interval' ORDER BY id LIMIT 1").get(sessionId);
  if (row) return fromRow(row);
  const session = getSession(db, sessionId);
  if (!session) throw new StoreError(`no session with id ${sessionId}`);
  return createTier(db, sessionId, getTierByName(db, sessionId, session.name) ? `${session.name} spans` : session.name);
}

/** The tier an annotation or point of this session may go to: it must be the session's, of the kind given. */
export function checkTier(db: StoreDb, tierId: number, sessionId: number, kind: TierKind): Tier {
  const tier = getTier(db, tierId);
  if (!tier || tier.sessionId !== sessionId) throw new StoreError(`no tier with id ${tierId} in session ${sessionId}`);
  if (tier.kind !== kind) throw new StoreError(`tier "${tier.name}" holds ${tier.kind}s, not ${kind}s`);
  return tier;
}

export interface TierPoint {
  id: number;
  tierId: number;
  recordingId: number;
  timeSec: number;
  label: string;
  createdAt: string;
}

interface PointRow {
  id: number;
  tier_id: number;
  recording_id: number;
  time_sec: number;
  label: string;
  created_at: string;
}

const pointFromRow = (r: PointRow): TierPoint => ({
  id: r.id,
  tierId: r.tier_id,
  recordingId: r.recording_id,
  timeSec: r.time_sec,
  label: r.label,
  createdAt: r.created_at,
});

/** A mark on a point tier; its label must be a class of the session's label set, as an annotation's is. */
export function addPoint(db: StoreDb, input: { tierId: number; recordingId: number; timeSec: number; label: string }): TierPoint {
  const tier = getTier(db, input.tierId);
  if (!tier) throw new StoreError(`no tier with id ${input.tierId}`);
  checkTier(db, tier.id, tier.sessionId, 'point');
  if (!getRecording(db, input.recordingId)) throw new StoreError(`no recording with id ${input.recordingId}`);
  if (!Number.isFinite(input.timeSec) || input.timeSec < 0) throw new StoreError(`point time ${input.timeSec} s must be 0 or later`);
  checkSessionLabel(db, getSession(db, tier.sessionId)!, input.label);
  return inTransaction(db, () => {
    const { lastInsertRowid } = statement(db, 'INSERT INTO points (tier_id, recording_id, time_sec, label, created_at) VALUES (?, ?, ?, ?, ?)').run(
      tier.id,
      input.recordingId,
      input.timeSec,
      input.label,
      nowIso(),
    );
    addRecordingToSession(db, tier.sessionId, input.recordingId);
    return pointFromRow(statement<[number], PointRow>(db, 'SELECT * FROM points WHERE id = ?').get(Number(lastInsertRowid))!);
  });
}

export function listPoints(db: StoreDb, filter: { tierId: number; recordingId?: number }): TierPoint[] {
  return statement<[{ tier: number; recording: number | null }], PointRow>(
    db,
    `SELECT * FROM points WHERE tier_id = @tier AND (@recording IS NULL OR recording_id = @recording)
     ORDER BY recording_id, time_sec, id`,
  )
    .all({ tier: filter.tierId, recording: filter.recordingId ?? null })
    .map(pointFromRow);
}
