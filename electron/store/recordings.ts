import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { probeAudio } from '../audio/decode.ts';
import { nowIso, statement, type StoreDb } from './db.ts';

/** What the headers say about a recording's audio. */
export interface AudioFacts {
  format: string;
  sampleRate: number;
  channels: number;
  durationSec?: number;
}

/** Reads a file's audio facts; injectable so the store does not depend on a decoder in tests. */
export type ProbeAudio = (path: string) => Promise<AudioFacts>;

/** A file as found on disk: what identifies its content, and what its headers say. */
export interface RecordingFacts {
  path: string;
  /** sha256 of the file's bytes, hex. */
  contentHash: string;
  sizeBytes: number;
  audio?: AudioFacts;
}

export interface Recording {
  id: number;
  path: string;
  contentHash: string;
  sizeBytes: number;
  format: string | null;
  durationSec: number | null;
  sampleRate: number | null;
  channels: number | null;
  addedAt: string;
}

interface RecordingRow {
  id: number;
  path: string;
  content_hash: string;
  size_bytes: number;
  format: string | null;
  duration_sec: number | null;
  sample_rate: number | null;
  channels: number | null;
  added_at: string;
}

const fromRow = (r: RecordingRow): Recording => ({
  id: r.id,
  path: r.path,
  contentHash: r.content_hash,
  sizeBytes: r.size_bytes,
  format: r.format,
  durationSec: r.duration_sec,
  sampleRate: r.sample_rate,
  channels: r.channels,
  addedAt: r.added_at,
});

const HASH_CHUNK_BYTES = 1 << 20;

/** sha256 of a file read in 1 MiB chunks, so a long recording never sits in memory whole. */
export async function hashFile(path: string): Promise<{ contentHash: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: HASH_CHUNK_BYTES }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    sizeBytes += chunk.length;
  }
  return { contentHash: hash.digest('hex'), sizeBytes };
}

export async function readRecordingFacts(path: string, probe: ProbeAudio = probeAudio): Promise<RecordingFacts> {
  const [content, audio] = await Promise.all([hashFile(path), probe(path)]);
  return { path, ...content, audio };
}

export function getRecording(db: StoreDb, id: number): Recording | undefined {
  const row = statement<[number], RecordingRow>(db, 'SELECT * FROM recordings WHERE id = ?').get(id);
  return row && fromRow(row);
}

export function getRecordingByPath(db: StoreDb, path: string): Recording | undefined {
  const row = statement<[string], RecordingRow>(db, 'SELECT * FROM recordings WHERE path = ?').get(path);
  return row && fromRow(row);
}

export function listRecordings(db: StoreDb, options: { sessionId?: number } = {}): Recording[] {
  const rows =
    options.sessionId === undefined
      ? statement<[], RecordingRow>(db, 'SELECT * FROM recordings ORDER BY path').all()
      : statement<[number], RecordingRow>(
          db,
          `SELECT r.* FROM recordings r JOIN session_recordings s ON s.recording_id = r.id
           WHERE s.session_id = ? ORDER BY r.path`,
        ).all(options.sessionId);
  return rows.map(fromRow);
}

/** The recording columns that come from a file's headers (null where a header does not say). */
const audioColumns = (audio: AudioFacts | undefined) => ({
  format: audio?.format ?? null,
  durationSec: audio?.durationSec ?? null,
  sampleRate: audio?.sampleRate ?? null,
  channels: audio?.channels ?? null,
});

/** The recordings whose content has this hash, oldest first. */
export function recordingsWithContent(db: StoreDb, contentHash: string): Recording[] {
  return statement<[string], RecordingRow>(db, 'SELECT * FROM recordings WHERE content_hash = ? ORDER BY id').all(contentHash).map(fromRow);
}

/** Adds a recording whose path is not in the store yet, as given: a merge carries addedAt over from another database. */
export function insertRecording(db: StoreDb, r: Omit<Recording, 'id'>): Recording {
  const { lastInsertRowid } = statement(
    db,
    `INSERT INTO recordings (path, content_hash, size_bytes, format, duration_sec, sample_rate, channels, added_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.path, r.contentHash, r.sizeBytes, r.format, r.durationSec, r.sampleRate, r.channels, r.addedAt);
  return getRecording(db, Number(lastInsertRowid))!;
}

/**
 * How a file relates to what the store knows:
 * - new: neither its path nor its content is known.
 * - unchanged: same path, same content.
 * - changed: same path, different content (edited since import).
 * - moved: its content is known under a path where the file no longer exists.
 * - duplicate: its content is known under another path that still exists.
 */
export type RecordingMatch =
  | { kind: 'new' }
  | { kind: 'unchanged' | 'changed' | 'moved' | 'duplicate'; recording: Recording };

export function matchRecording(db: StoreDb, facts: Pick<RecordingFacts, 'path' | 'contentHash'>): RecordingMatch {
  const atPath = getRecordingByPath(db, facts.path);
  if (atPath) return { kind: atPath.contentHash === facts.contentHash ? 'unchanged' : 'changed', recording: atPath };
  const sameContent = recordingsWithContent(db, facts.contentHash);
  if (sameContent.length === 0) return { kind: 'new' };
  const elsewhere = sameContent.find((r) => existsSync(r.path));
  return elsewhere ? { kind: 'duplicate', recording: elsewhere } : { kind: 'moved', recording: sameContent[0] };
}

export type StoredKind = 'added' | 'unchanged' | 'changed' | 'updated' | 'moved' | 'duplicate';

export interface StoredRecording {
  /** 'changed' is left as it was; 'updated' is a changed file whose new content was accepted. */
  kind: StoredKind;
  recording: Recording;
  /** The path the recording had before a move. */
  movedFrom?: string;
}

/**
 * Applies what matchRecording found: inserts a new file, follows a move, and takes an edited file's
 * new content only when acceptChanges is set. Call inside a transaction.
 */
export function storeRecording(db: StoreDb, facts: RecordingFacts, options: { acceptChanges?: boolean } = {}): StoredRecording {
  const match = matchRecording(db, facts);
  const audio = audioColumns(facts.audio);
  switch (match.kind) {
    case 'new': {
      const { path, contentHash, sizeBytes } = facts;
      return { kind: 'added', recording: insertRecording(db, { path, contentHash, sizeBytes, ...audio, addedAt: nowIso() }) };
    }
    case 'moved':
      statement(db, 'UPDATE recordings SET path = ? WHERE id = ?').run(facts.path, match.recording.id);
      return { kind: 'moved', recording: getRecording(db, match.recording.id)!, movedFrom: match.recording.path };
    case 'changed':
      if (!options.acceptChanges) return { kind: 'changed', recording: match.recording };
      statement(
        db,
        `UPDATE recordings SET content_hash = ?, size_bytes = ?, format = ?, duration_sec = ?, sample_rate = ?, channels = ?
         WHERE id = ?`,
      ).run(facts.contentHash, facts.sizeBytes, audio.format, audio.durationSec, audio.sampleRate, audio.channels, match.recording.id);
      return { kind: 'updated', recording: getRecording(db, match.recording.id)! };
    default:
      return { kind: match.kind, recording: match.recording };
  }
}
