import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StoreDb } from './db.ts';
import { NewerDatabaseError, StoreError, storeError } from './errors.ts';
import { migrate, schemaVersion, MIGRATIONS } from './migrations.ts';

export interface OpenOptions {
  /** Fail when the file does not exist instead of creating an empty database. */
  mustExist?: boolean;
  /** Open for reading only: a second connection for long exports, which never blocks the writer under WAL. */
  readonly?: boolean;
  /** How long a statement waits for another connection's lock before failing (ms). */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if allowed) a workspace database and brings its schema up to date.
 * Write-ahead logging lets exports read while the app writes; synchronous=NORMAL is safe under WAL
 * (a crash keeps every committed transaction except possibly the last ones before a power loss,
 * and never corrupts the file).
 */
export function openStore(file: string, options: OpenOptions = {}): StoreDb {
  const readonly = options.readonly ?? false;
  const mustExist = readonly || (options.mustExist ?? false);
  if (mustExist && !existsSync(file)) throw new StoreError(`${file}: no such database file`);
  if (!existsSync(dirname(file))) throw new StoreError(`${file}: folder ${dirname(file)} does not exist`);
  let db: StoreDb;
  try {
    db = new Database(file, { readonly, fileMustExist: mustExist, timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
  } catch (err) {
    throw storeError(file, err);
  }
  try {
    // Reading the version first also proves the file is SQLite, and a newer schema is refused
    // before journal_mode=WAL would rewrite its header.
    const version = schemaVersion(db);
    if (readonly) {
      const latest = MIGRATIONS.at(-1)?.version ?? 0;
      if (version > latest) throw new NewerDatabaseError(file, version, latest);
      if (version < latest) {
        throw new StoreError(`${file}: database schema version ${version} needs upgrading to ${latest}; open it once for writing`);
      }
    } else {
      migrate(db);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
    }
    // After migrating: a future migration that rebuilds a table must run with foreign keys off.
    db.pragma('foreign_keys = ON');
    return db;
  } catch (err) {
    db.close();
    throw storeError(file, err);
  }
}
