/** A store failure with a one-line message fit for a log, a dialog or the CLI. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
}

/** The database was written by a newer SER Studio; it is refused, never altered. */
export class NewerDatabaseError extends StoreError {
  override readonly name = 'NewerDatabaseError';

  constructor(
    readonly file: string,
    readonly version: number,
    readonly supported: number,
  ) {
    super(
      `${file}: database schema version ${version} is newer than this SER Studio supports (${supported}); ` +
        'update SER Studio to open it (the file was not changed)',
    );
  }
}

/**
 * A recording's file no longer has the content that was imported, so its annotations and
 * predictions may not describe it any more; nothing is re-labelled until the change is accepted.
 */
export class RecordingChangedError extends StoreError {
  override readonly name = 'RecordingChangedError';

  constructor(
    readonly path: string,
    readonly recordingId: number,
  ) {
    super(`${path}: file changed since it was imported (content hash differs); import it again accepting changes to record new results`);
  }
}

/** Translates SQLite's error codes on a database file into messages that say what to do. */
export function storeError(file: string, err: unknown): Error {
  if (err instanceof StoreError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  switch (code) {
    case 'SQLITE_NOTADB':
      return new StoreError(`${file}: not a SQLite database (${message}); choose another file`, { cause: err });
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new StoreError(`${file}: database is locked by another program or connection; close it and try again`, { cause: err });
    case 'SQLITE_CORRUPT':
      return new StoreError(`${file}: database file is damaged (${message})`, { cause: err });
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
    case 'SQLITE_IOERR':
      return new StoreError(`${file}: cannot open or write the database (${message})`, { cause: err });
    case 'SQLITE_FULL':
      return new StoreError(`${file}: disk full while writing the database; nothing of the failed change was kept`, { cause: err });
    default:
      return err instanceof Error ? err : new Error(message);
  }
}
