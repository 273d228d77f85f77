import { EMOTIONS } from '../shared/labels.ts';
import type { StoreDb } from './db.ts';
import { NewerDatabaseError } from './errors.ts';

export interface Migration {
  /** The schema version this migration produces (PRAGMA user_version after it). */
  version: number;
  up(db: StoreDb): void;
}

export const DEFAULT_LABEL_SET = 'ravdess';

/** Version 1: the first schema. Times are ISO-8601 UTC text; JSON columns hold arrays and objects. */
const v1: Migration = {
  version: 1,
  up(db) {
    db.exec(`
      CREATE TABLE label_sets (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        -- JSON array of class names, in the order of a model's output units
        labels TEXT NOT NULL CHECK (json_valid(labels) AND json_type(labels) = 'array' AND json_array_length(labels) > 0),
        created_at TEXT NOT NULL
      );

      CREATE TABLE recordings (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        size_bytes INTEGER NOT NULL,
        format TEXT,
        duration_sec REAL,
        sample_rate INTEGER,
        channels INTEGER,
        added_at TEXT NOT NULL
      );
      CREATE INDEX recordings_content_hash ON recordings (content_hash);

      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        annotator TEXT,
        label_set_id INTEGER NOT NULL REFERENCES label_sets (id),
        notes TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE session_recordings (
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
        PRIMARY KEY (session_id, recording_id)
      ) WITHOUT ROWID;
      CREATE INDEX session_recordings_recording ON session_recordings (recording_id);

      -- AUTOINCREMENT: an id freed by a delete is never handed to a new annotation, so undo can restore it.
      CREATE TABLE annotations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        start_sec REAL NOT NULL CHECK (start_sec >= 0),
        end_sec REAL NOT NULL CHECK (end_sec > start_sec),
        label TEXT NOT NULL,
        intensity TEXT CHECK (intensity IN ('normal', 'strong')),
        annotator TEXT,
        note TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX annotations_recording ON annotations (recording_id, start_sec);
      CREATE INDEX annotations_session_label ON annotations (session_id, label);

      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        version TEXT NOT NULL DEFAULT '',
        directory TEXT,
        label_set_id INTEGER NOT NULL REFERENCES label_sets (id),
        metrics TEXT CHECK (metrics IS NULL OR json_valid(metrics)),
        provenance TEXT CHECK (provenance IS NULL OR json_valid(provenance)),
        created_at TEXT NOT NULL,
        UNIQUE (name, version)
      );

      CREATE TABLE predictions (
        id INTEGER PRIMARY KEY,
        recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
        model_id INTEGER NOT NULL REFERENCES models (id) ON DELETE CASCADE,
        run_id TEXT NOT NULL,
        start_sec REAL NOT NULL,
        end_sec REAL NOT NULL,
        -- little-endian float32 per class, in the order of the model's label set: exactly the
        -- model's softmax output, a fifth of the size of JSON text
        probabilities BLOB NOT NULL,
        top_label TEXT NOT NULL,
        confidence REAL NOT NULL,
        created_at TEXT NOT NULL
      );
      -- Keys that grow in insertion order (new recordings) or have few values (labels) keep
      -- inserts cheap; confidence is filtered row by row instead of indexed, since a random
      -- key would rewrite scattered index pages on every small transaction.
      CREATE INDEX predictions_recording ON predictions (recording_id, model_id, run_id, start_sec);
      CREATE INDEX predictions_model_label ON predictions (model_id, top_label);

      CREATE TABLE training_runs (
        id INTEGER PRIMARY KEY,
        model_id INTEGER REFERENCES models (id) ON DELETE SET NULL,
        label_set_id INTEGER NOT NULL REFERENCES label_sets (id),
        config TEXT NOT NULL CHECK (json_valid(config)),
        -- JSON array, one object per finished epoch
        history TEXT NOT NULL CHECK (json_valid(history)),
        final_metrics TEXT CHECK (final_metrics IS NULL OR json_valid(final_metrics)),
        status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
        error TEXT,
        started_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE INDEX training_runs_model ON training_runs (model_id);
    `);
    db.prepare('INSERT INTO label_sets (name, labels, created_at) VALUES (?, ?, ?)').run(
      DEFAULT_LABEL_SET,
      JSON.stringify(EMOTIONS),
      new Date().toISOString(),
    );
  },
};

/** Version 2: the library folders (or single files) the app may read audio from and write exports into. */
const v2: Migration = {
  version: 2,
  up(db) {
    db.exec(`
      CREATE TABLE library_folders (
        id INTEGER PRIMARY KEY,
        -- resolved real path, so a prefix test on other real paths decides what lies inside
        path TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('folder', 'file')),
        added_at TEXT NOT NULL
      );
    `);
  },
};

/**
 * Version 3: tiers. A session holds named tiers (one per annotator, or "emotion" beside "arousal"),
 * each of spans or of points, as Praat, ELAN and Label Studio arrange annotations. Every session
 * gets a default tier named like it, and its annotations so far go there.
 */
const v3: Migration = {
  version: 3,
  up(db) {
    db.exec(`
      CREATE TABLE tiers (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        name TEXT NOT NULL CHECK (name <> ''),
        kind TEXT NOT NULL CHECK (kind IN ('interval', 'point')),
        created_at TEXT NOT NULL,
        UNIQUE (session_id, name)
      );
      INSERT INTO tiers (session_id, name, kind, created_at) SELECT id, name, 'interval', created_at FROM sessions;

      -- ADD COLUMN cannot add NOT NULL with a reference; the store sets it on every insert.
      ALTER TABLE annotations ADD COLUMN tier_id INTEGER REFERENCES tiers (id) ON DELETE CASCADE;
      UPDATE annotations SET tier_id = (SELECT t.id FROM tiers t WHERE t.session_id = annotations.session_id);
      CREATE INDEX annotations_tier ON annotations (tier_id, recording_id, start_sec);

      -- A point tier's marks: a time and a label, as Praat's TextTiers hold them.
      CREATE TABLE points (
        id INTEGER PRIMARY KEY,
        tier_id INTEGER NOT NULL REFERENCES tiers (id) ON DELETE CASCADE,
        recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
        time_sec REAL NOT NULL CHECK (time_sec >= 0),
        label TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE INDEX points_tier ON points (tier_id, recording_id, time_sec);
    `);
  },
};

/**
 * Version 4: each window's share of speech (audio/vad.ts), so the timeline, the reports and the
 * file aggregates can tell "no speech" from an emotion. Windows stored before the detector keep
 * NULL: not measured, and counted as speech, as they were classified.
 */
const v4: Migration = {
  version: 4,
  up(db) {
    db.exec(`ALTER TABLE predictions ADD COLUMN speech_share REAL CHECK (speech_share IS NULL OR (speech_share >= 0 AND speech_share <= 1));`);
  },
};

/**
 * Version 5: what decoding found wrong with a file (a WAV header declaring more data than the file
 * holds: "truncated: 1.2 s of 3.6 s") when a run classified it from what is there. Kept by run, so
 * a recording shows those of its latest run: a clean re-classification has none, and a merge
 * carries them with the run's windows. Only runs with warnings have a row.
 */
const v5: Migration = {
  version: 5,
  up(db) {
    db.exec(`
      CREATE TABLE decode_warnings (
        recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
        run_id TEXT NOT NULL,
        -- JSON array of warning sentences, in the order decoding found them
        warnings TEXT NOT NULL CHECK (json_valid(warnings) AND json_type(warnings) = 'array' AND json_array_length(warnings) > 0),
        PRIMARY KEY (recording_id, run_id)
      ) WITHOUT ROWID;
    `);
  },
};

/**
 * Version 6: label sets the user defines: categorical classes, or an ordinal scale (arousal 1-5)
 * whose classes keep their order. Each class may carry its own colour and key, as JSON arrays in the
 * order of `labels`; NULL (the whole array, or one entry) leaves the app's default for that class.
 */
const v6: Migration = {
  version: 6,
  up(db) {
    db.exec(`
      ALTER TABLE label_sets ADD COLUMN kind TEXT NOT NULL DEFAULT 'categorical' CHECK (kind IN ('categorical', 'ordinal'));
      ALTER TABLE label_sets ADD COLUMN colours TEXT CHECK (colours IS NULL OR (json_valid(colours) AND json_type(colours) = 'array'));
      ALTER TABLE label_sets ADD COLUMN keys TEXT CHECK (keys IS NULL OR (json_valid(keys) AND json_type(keys) = 'array'));
    `);
  },
};

export const MIGRATIONS: readonly Migration[] = [v1, v2, v3, v4, v5, v6];

export function schemaVersion(db: StoreDb): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema up to the last migration's version, each step in its own transaction with
 * its user_version bump, so an interrupted upgrade leaves the previous version intact.
 * A database from a newer app is refused before anything is written.
 */
export function migrate(db: StoreDb, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  if (current > latest) throw new NewerDatabaseError(db.name, current, latest);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      // Another process may have applied it while this one waited for the write lock.
      if (schemaVersion(db) >= migration.version) return;
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
}
