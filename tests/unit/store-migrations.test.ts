import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import {
  getLabelSet,
  migrate,
  MIGRATIONS,
  NewerDatabaseError,
  openStore,
  schemaVersion,
  StoreError,
  type Migration,
} from '../../electron/store/index.ts';
import { tempDir } from '../helpers/store-fixtures.ts';

const { dir, cleanup } = tempDir('ser-store-migrations-');
afterAll(cleanup);
let n = 0;
const dbFile = () => join(dir, `db-${++n}.sqlite`);
/** The schema version this app writes. */
const LATEST = 6;

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);

describe('migrations', () => {
  it('creates the latest schema in an empty database, with WAL, foreign keys and a busy timeout', () => {
    const db = openStore(dbFile());
    expect(schemaVersion(db)).toBe(LATEST);
    expect(MIGRATIONS.at(-1)!.version).toBe(LATEST);
    expect(tables(db)).toEqual([
      'annotations',
      'decode_warnings',
      'label_sets',
      'library_folders',
      'models',
      'points',
      'predictions',
      'recordings',
      'session_recordings',
      'sessions',
      'tiers',
      'training_runs',
    ]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(getLabelSet(db, 'ravdess')!.labels).toEqual([...EMOTIONS]);
    expect(() => db.prepare('INSERT INTO sessions (name, label_set_id, created_at, updated_at) VALUES (?, 999, ?, ?)').run('x', 'a', 'b')).toThrow(
      /FOREIGN KEY/,
    );
    db.close();
  });

  it('leaves an up-to-date database as it is when reopened', () => {
    const file = dbFile();
    openStore(file).close();
    const db = openStore(file);
    expect(schemaVersion(db)).toBe(LATEST);
    expect(db.prepare('SELECT COUNT(*) FROM label_sets').pluck().get()).toBe(1);
    db.close();
  });

  it('upgrades a version 1 database to the latest, keeping its data and adding library folders', () => {
    const file = dbFile();
    const v1 = new Database(file);
    migrate(v1, MIGRATIONS.slice(0, 1));
    expect(schemaVersion(v1)).toBe(1);
    v1.prepare("INSERT INTO recordings (path, content_hash, size_bytes, added_at) VALUES ('/a.wav', 'h', 1, 't')").run();
    v1.close();
    const db = openStore(file);
    expect(schemaVersion(db)).toBe(LATEST);
    expect(db.prepare('SELECT path FROM recordings').pluck().all()).toEqual(['/a.wav']);
    db.prepare("INSERT INTO library_folders (path, kind, added_at) VALUES ('/music', 'folder', 't')").run();
    expect(() => db.prepare("INSERT INTO library_folders (path, kind, added_at) VALUES ('/music', 'file', 't')").run()).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO library_folders (path, kind, added_at) VALUES ('/x', 'disk', 't')").run()).toThrow(/CHECK/);
    db.close();
  });

  it('upgrades a version 2 database to tiers: each session gets a default tier named like it, holding its annotations', () => {
    const file = dbFile();
    const v2 = new Database(file);
    migrate(v2, MIGRATIONS.slice(0, 2));
    v2.exec(`
      INSERT INTO recordings (id, path, content_hash, size_bytes, added_at) VALUES (1, '/a.wav', 'h', 1, 't');
      INSERT INTO sessions (id, name, label_set_id, created_at, updated_at) VALUES (1, 'ann', 1, 't1', 't1'), (2, 'bob', 1, 't2', 't2');
      INSERT INTO annotations (recording_id, session_id, start_sec, end_sec, label, intensity, note, created_at, updated_at)
        VALUES (1, 1, 0, 1, 'sad', 'strong', 'sighs', 't', 't'), (1, 2, 0.5, 2, 'calm', NULL, NULL, 't', 't');
    `);
    v2.close();
    const db = openStore(file);
    expect(db.prepare('SELECT id, session_id, name, kind FROM tiers ORDER BY id').all()).toEqual([
      { id: 1, session_id: 1, name: 'ann', kind: 'interval' },
      { id: 2, session_id: 2, name: 'bob', kind: 'interval' },
    ]);
    expect(db.prepare('SELECT session_id, tier_id, label, intensity, note FROM annotations ORDER BY id').all()).toEqual([
      { session_id: 1, tier_id: 1, label: 'sad', intensity: 'strong', note: 'sighs' },
      { session_id: 2, tier_id: 2, label: 'calm', intensity: null, note: null },
    ]);
    expect(() => db.prepare("INSERT INTO tiers (session_id, name, kind, created_at) VALUES (1, 'ann', 'point', 't')").run()).toThrow(/UNIQUE/);
    db.close();
  });

  it('upgrades a version 3 database to speech shares: its windows keep NULL (not measured), and a share outside [0, 1] is refused', () => {
    const file = dbFile();
    const v3 = new Database(file);
    migrate(v3, MIGRATIONS.slice(0, 3));
    v3.exec(`
      INSERT INTO recordings (id, path, content_hash, size_bytes, added_at) VALUES (1, '/a.wav', 'h', 1, 't');
      INSERT INTO models (id, name, label_set_id, created_at) VALUES (1, 'm', 1, 't');
      INSERT INTO predictions (recording_id, model_id, run_id, start_sec, end_sec, probabilities, top_label, confidence, created_at)
        VALUES (1, 1, 'r', 0, 3, x'0000803f', 'sad', 1, 't');
    `);
    v3.close();
    const db = openStore(file);
    expect(db.prepare('SELECT top_label, speech_share FROM predictions').all()).toEqual([{ top_label: 'sad', speech_share: null }]);
    const insert = db.prepare(
      "INSERT INTO predictions (recording_id, model_id, run_id, start_sec, end_sec, probabilities, top_label, confidence, speech_share, created_at) VALUES (1, 1, 'r2', 0, 3, x'00', 'sad', 1, ?, 't')",
    );
    expect(() => insert.run(1.5)).toThrow(/CHECK/);
    insert.run(0.25);
    expect(db.prepare("SELECT speech_share FROM predictions WHERE run_id = 'r2'").pluck().get()).toBe(0.25);
    db.close();
  });

  it('upgrades a version 4 database to decode warnings: a run\'s non-empty list of sentences by recording, gone with its recording', () => {
    const file = dbFile();
    const v4 = new Database(file);
    migrate(v4, MIGRATIONS.slice(0, 4));
    v4.exec(`
      INSERT INTO recordings (id, path, content_hash, size_bytes, added_at) VALUES (1, '/a.wav', 'h', 1, 't');
      INSERT INTO models (id, name, label_set_id, created_at) VALUES (1, 'm', 1, 't');
      INSERT INTO predictions (recording_id, model_id, run_id, start_sec, end_sec, probabilities, top_label, confidence, speech_share, created_at)
        VALUES (1, 1, 'r', 0, 3, x'0000803f', 'sad', 1, 1, 't');
    `);
    v4.close();
    const db = openStore(file);
    expect(db.prepare('SELECT COUNT(*) FROM decode_warnings').pluck().get()).toBe(0);
    expect(db.prepare('SELECT top_label FROM predictions').pluck().all()).toEqual(['sad']);
    const insert = db.prepare("INSERT INTO decode_warnings (recording_id, run_id, warnings) VALUES (?, 'r', ?)");
    expect(() => insert.run(1, '[]')).toThrow(/CHECK/);
    expect(() => insert.run(1, '"truncated"')).toThrow(/CHECK/);
    expect(() => insert.run(2, '["truncated: 1.0 s of 2.0 s"]')).toThrow(/FOREIGN KEY/);
    insert.run(1, '["truncated: 1.0 s of 2.0 s"]');
    expect(() => insert.run(1, '["again"]')).toThrow(/UNIQUE|PRIMARY KEY/);
    db.prepare('DELETE FROM recordings WHERE id = 1').run();
    expect(db.prepare('SELECT COUNT(*) FROM decode_warnings').pluck().get()).toBe(0);
    db.close();
  });

  it('upgrades a database of the previous version step by step, keeping its data', () => {
    const file = dbFile();
    const current = openStore(file);
    current.prepare("INSERT INTO recordings (path, content_hash, size_bytes, added_at) VALUES ('/a.wav', 'h', 1, 't')").run();
    current.close();
    const next: Migration = {
      version: LATEST + 1,
      up: (db) => db.exec("ALTER TABLE recordings ADD COLUMN speaker TEXT NOT NULL DEFAULT 'unknown'"),
    };
    const db = new Database(file);
    migrate(db, [...MIGRATIONS, next]);
    expect(schemaVersion(db)).toBe(LATEST + 1);
    expect(db.prepare('SELECT path, speaker FROM recordings').all()).toEqual([{ path: '/a.wav', speaker: 'unknown' }]);
    db.close();
  });

  it('rolls a failing migration back whole, leaving the previous version', () => {
    const file = dbFile();
    openStore(file).close();
    const broken: Migration = {
      version: LATEST + 1,
      up: (db) => {
        db.exec('CREATE TABLE half_done (x)');
        throw new Error('migration bug');
      },
    };
    const db = new Database(file);
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow('migration bug');
    expect(schemaVersion(db)).toBe(LATEST);
    expect(tables(db)).not.toContain('half_done');
    db.close();
  });

  it('refuses a database from a newer app without changing a byte of it', () => {
    const file = dbFile();
    const raw = new Database(file);
    raw.exec('CREATE TABLE future (x); INSERT INTO future VALUES (1)');
    raw.pragma('user_version = 7');
    raw.close();
    const before = readFileSync(file);
    let error: unknown;
    try {
      openStore(file);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(NewerDatabaseError);
    expect((error as Error).message).toBe(
      `${file}: database schema version 7 is newer than this SER Studio supports (${LATEST}); update SER Studio to open it (the file was not changed)`,
    );
    expect(() => openStore(file, { readonly: true })).toThrow(NewerDatabaseError);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('opens read-only only a database already at the current version', () => {
    const file = dbFile();
    new Database(file).close();
    expect(() => openStore(file, { readonly: true })).toThrow(new RegExp(`version 0 needs upgrading to ${LATEST}`));
    openStore(file).close();
    const db = openStore(file, { readonly: true });
    expect(db.readonly).toBe(true);
    db.close();
  });

  it('does not create a database that must exist, nor a missing folder', () => {
    const file = join(dir, 'missing.sqlite');
    expect(() => openStore(file, { mustExist: true })).toThrow(new StoreError(`${file}: no such database file`));
    const nested = join(dir, 'no-folder', 'new.sqlite');
    expect(() => openStore(nested)).toThrow(new StoreError(`${nested}: folder ${join(dir, 'no-folder')} does not exist`));
  });

  it('reports a file that is not SQLite and leaves it untouched', () => {
    const file = join(dir, 'notes.sqlite');
    writeFileSync(file, 'these are my notes, not a database\n'.repeat(200));
    const before = readFileSync(file);
    expect(() => openStore(file)).toThrow(/notes\.sqlite: not a SQLite database/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
