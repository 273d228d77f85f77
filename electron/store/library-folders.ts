import { nowIso, statement, type StoreDb } from './db.ts';

/** A folder (searched recursively) or a single file the user added to the library. */
export interface LibraryFolder {
  id: number;
  /** Resolved real path. */
  path: string;
  kind: 'folder' | 'file';
  addedAt: string;
}

interface LibraryFolderRow {
  id: number;
  path: string;
  kind: 'folder' | 'file';
  added_at: string;
}

const fromRow = (r: LibraryFolderRow): LibraryFolder => ({ id: r.id, path: r.path, kind: r.kind, addedAt: r.added_at });

export function listLibraryFolders(db: StoreDb): LibraryFolder[] {
  return statement<[], LibraryFolderRow>(db, 'SELECT * FROM library_folders ORDER BY path').all().map(fromRow);
}

export function getLibraryFolder(db: StoreDb, id: number): LibraryFolder | undefined {
  const row = statement<[number], LibraryFolderRow>(db, 'SELECT * FROM library_folders WHERE id = ?').get(id);
  return row && fromRow(row);
}

/** Adds the entry, or returns the one already there for this path. */
export function addLibraryFolder(db: StoreDb, path: string, kind: LibraryFolder['kind']): LibraryFolder {
  statement(db, 'INSERT INTO library_folders (path, kind, added_at) VALUES (?, ?, ?) ON CONFLICT (path) DO NOTHING').run(path, kind, nowIso());
  return fromRow(statement<[string], LibraryFolderRow>(db, 'SELECT * FROM library_folders WHERE path = ?').get(path)!);
}

/** Forgets the entry; its recordings, annotations and predictions stay in the store. */
export function removeLibraryFolder(db: StoreDb, id: number): boolean {
  return statement(db, 'DELETE FROM library_folders WHERE id = ?').run(id).changes > 0;
}
