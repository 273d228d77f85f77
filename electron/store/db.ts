import type Database from 'better-sqlite3';
import { storeError } from './errors.ts';

export type StoreDb = Database.Database;

const cache = new WeakMap<StoreDb, Map<string, Database.Statement>>();

/** Prepares each SQL text once per connection: the data-access functions run in tight loops. */
export function statement<Params extends unknown[] = unknown[], Row = unknown>(
  db: StoreDb,
  sql: string,
): Database.Statement<Params, Row> {
  let statements = cache.get(db);
  if (!statements) cache.set(db, (statements = new Map()));
  let stmt = statements.get(sql);
  if (!stmt) statements.set(sql, (stmt = db.prepare(sql)));
  return stmt as unknown as Database.Statement<Params, Row>;
}

/**
 * Runs fn as one IMMEDIATE transaction (the write lock is taken up front, so a busy database
 * fails before any work rather than at commit) and rolls everything back if it throws.
 */
export function inTransaction<T>(db: StoreDb, fn: () => T): T {
  try {
    return db.transaction(fn).immediate();
  } catch (err) {
    throw storeError(db.name, err);
  }
}

export const nowIso = (): string => new Date().toISOString();
