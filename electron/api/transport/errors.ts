/**
 * Errors as the renderer sees them: a code to branch on and a one-line message to show. Every
 * failure a handler can meet is translated here, so no transport ever sends a stack trace.
 */
import { AudioDecodeError } from '../../audio/errors.ts';
import { ExportError } from '../../export/csv.ts';
import { InteropError, UnwritableError } from '../../interop/document.ts';
import { ModelLoadError } from '../../ml/model-store.ts';
import { NewerDatabaseError, RecordingChangedError, StoreError } from '../../store/index.ts';
import type { ApiErrorBody, ApiErrorCode } from './contract.ts';

/** A failure the API reports as it is: thrown by handlers, the path policy and the jobs. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The HTTP status of each code, for the transports that speak HTTP (serve mode, Electron's media scheme). */
export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden_path: 403,
  not_found: 404,
  conflict: 409,
  cancelled: 409,
  internal: 500,
  unavailable: 503,
};

/** SQLite's lock and I/O failures: the request was fine, the database could not serve it now. */
const DATABASE_UNAVAILABLE = /locked by another program|cannot open or write the database|disk full|database file is damaged/;

/**
 * The store words its errors for people but has no codes; these patterns are its own phrasing
 * (see electron/store), so a missing row is not_found and a duplicate name is a conflict.
 */
const STORE_NOT_FOUND = /^no [\w ]+ with id \d+$/;
const STORE_CONFLICT = /already exists|already has a tier named|exists; nothing to restore|is used by|are the outputs of|^the built-in label set/;

function storeCode(err: StoreError): ApiErrorCode {
  if (err instanceof NewerDatabaseError || DATABASE_UNAVAILABLE.test(err.message)) return 'unavailable';
  if (err instanceof RecordingChangedError || STORE_CONFLICT.test(err.message)) return 'conflict';
  if (STORE_NOT_FOUND.test(err.message)) return 'not_found';
  return 'invalid_input';
}

/** The body for a known error, or null for an unexpected one (a bug), which the caller logs. */
export function knownErrorBody(err: unknown): ApiErrorBody | null {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  if (err instanceof StoreError) return { code: storeCode(err), message: err.message };
  // A broken annotation file (its message names the line) or a document its format cannot hold.
  if (err instanceof InteropError || err instanceof UnwritableError) return { code: 'invalid_input', message: err.message };
  if (err instanceof AudioDecodeError || err instanceof ModelLoadError || err instanceof ExportError) {
    return { code: 'unavailable', message: err.message };
  }
  if (err instanceof Error && err.name === 'AbortError') return { code: 'cancelled', message: 'cancelled' };
  return null;
}

/**
 * Errors of the training engine arrive from its workers as plain errors under their class's name;
 * those that mean "these data or settings cannot be used" become the user's to fix.
 */
const ENGINE_REFUSALS = new Set(['TrainingError', 'TrainingDataError', 'SplitError', 'DatasetError', 'ModelLoadError']);

export function fromEngine(err: unknown): unknown {
  return err instanceof Error && ENGINE_REFUSALS.has(err.name) ? new ApiError('invalid_input', err.message) : err;
}

/** What to send for any error: known ones as they are, anything else as 'internal' with no detail beyond its first line. */
export function errorBody(err: unknown, log: (message: string) => void): ApiErrorBody {
  const known = knownErrorBody(err);
  if (known) return known;
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  const first = (err instanceof Error ? err.message : String(err)).split('\n')[0].slice(0, 200);
  return { code: 'internal', message: `internal error: ${first}` };
}
