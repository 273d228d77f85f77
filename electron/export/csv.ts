import { stringify } from 'csv-stringify/sync';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A cell: numbers are written with a dot and no exponent by the report modules; null is an empty cell. */
export type CsvCell = string | number | null;

export interface CsvOptions {
  /**
   * Prefix text cells that start with = + - @, a tab or a carriage return with a single quote, so a
   * spreadsheet shows them as text instead of running them as formulas (on by default). Numbers,
   * negative ones included, are left as numbers.
   */
  spreadsheetSafe?: boolean;
  /** Start with a UTF-8 byte order mark, which Excel needs to read non-ASCII text (off by default). */
  bom?: boolean;
}

/** Writing a report failed; the message names the file and the reason. */
export class ExportError extends Error {
  override readonly name = 'ExportError';
}

/** The target that means standard output. */
export const STDOUT = '-';

/** Rows formatted per call: large enough to amortise the formatter's per-call set-up, small enough to stay a few hundred KiB. */
const ROWS_PER_CHUNK = 512;

/**
 * Streams rows as RFC 4180 CSV (comma, double quotes, CRLF, header row) into destination.
 * Rows are pulled only as fast as the destination takes them, so memory stays constant
 * however many rows the source yields. Resolves with the number of data rows.
 */
export async function writeCsv(
  destination: Writable,
  header: readonly string[],
  rows: Iterable<readonly CsvCell[]> | AsyncIterable<readonly CsvCell[]>,
  options: CsvOptions & { end?: boolean } = {},
): Promise<number> {
  const format = {
    record_delimiter: 'windows',
    // With an explicit record delimiter csv-stringify stops quoting lone \n and \r unless asked.
    quote_record_delimiter: true,
    escape_formulas: options.spreadsheetSafe ?? true,
  } as const;
  let count = 0;
  // Formatting a chunk of rows per call is about twice as fast as csv-stringify's per-row stream.
  async function* chunks() {
    yield stringify([header], { ...format, bom: options.bom ?? false });
    let batch: (readonly CsvCell[])[] = [];
    for await (const row of rows) {
      batch.push(row);
      if (batch.length === ROWS_PER_CHUNK) {
        yield stringify(batch, format);
        count += batch.length;
        batch = [];
      }
    }
    if (batch.length > 0) yield stringify(batch, format);
    count += batch.length;
  }
  await pipeline(Readable.from(chunks(), { objectMode: false }), destination, { end: options.end ?? true });
  return count;
}

/**
 * Writes a CSV report to a file (or STDOUT). The file is written beside the target under a
 * temporary name and renamed over it only when complete, so a failed export never leaves a
 * partial report nor destroys an existing one.
 */
export async function exportCsv(
  target: string,
  header: readonly string[],
  rows: Iterable<readonly CsvCell[]> | AsyncIterable<readonly CsvCell[]>,
  options: CsvOptions = {},
): Promise<number> {
  if (target === STDOUT) return writeCsv(process.stdout, header, rows, { ...options, end: false });
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now()}.tmp`);
  const out = await openForWriting(target, temp);
  try {
    const count = await writeCsv(out, header, rows, options);
    await rename(temp, target);
    return count;
  } catch (err) {
    out.destroy();
    await rm(temp, { force: true });
    // Errors of the file system name the target; errors of the rows' source pass through as they are.
    const fsError = err instanceof Error && 'syscall' in err;
    throw fsError ? new ExportError(`cannot write ${target}: ${describeFsError(err as NodeJS.ErrnoException)}`, { cause: err }) : err;
  }
}

/** Opens the temporary file before any row is read, so an unwritable path fails at once. */
async function openForWriting(target: string, temp: string): Promise<WriteStream> {
  const out = createWriteStream(temp, { flags: 'wx' });
  try {
    await once(out, 'open');
    return out;
  } catch (err) {
    throw new ExportError(`cannot write ${target}: ${describeFsError(err as NodeJS.ErrnoException)}`, { cause: err });
  }
}

function describeFsError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'folder does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'disk full';
    case 'EISDIR':
      return 'is a folder';
    default:
      return err.message;
  }
}
