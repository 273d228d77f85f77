import { csvFormatValue } from 'd3-dsv';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { numberText } from './numbers.ts';

/** A cell: numbers are written with a dot and no exponent by the report modules; null is an empty cell. */
export type CsvCell = string | number | null;

export interface CsvOptions {
  /**
   * Prefix text cells that start with = + - @ (or their full-width forms), a tab or a carriage
   * return with a single quote, so a spreadsheet shows them as text instead of running them as
   * formulas (on by default). Numbers, negative ones included, are left as numbers.
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

/** Records per chunk handed to the destination: about 90 KiB of a predictions report, so the stream's per-chunk work is spread thin and memory stays small. */
const ROWS_PER_CHUNK = 512;

/**
 * Text that a spreadsheet would run as a formula: = + - @, a tab or a carriage return first, or the
 * full-width = + - @ that Apple Numbers folds into them.
 */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

/**
 * Formats records with their CRLF. d3-dsv quotes the text cells that hold a comma, a double quote,
 * a CR or an LF (doubling the quotes). Numbers are written as JavaScript writes them and never
 * need quotes, so they skip both the guard and the quoting. Text repeats down a column (a file's
 * path, the model, the run), so each column's last text is kept rather than formatted again.
 */
function recordFormatter(spreadsheetSafe: boolean): (row: readonly CsvCell[]) => string {
  const lastCell: (string | undefined)[] = [];
  const lastText: string[] = [];
  return (row) => {
    let record = '';
    for (let i = 0; i < row.length; i++) {
      if (i > 0) record += ',';
      const cell = row[i];
      if (typeof cell === 'number') record += numberText(cell);
      else if (cell !== null) {
        if (cell !== lastCell[i]) {
          lastCell[i] = cell;
          lastText[i] = csvFormatValue(spreadsheetSafe && FORMULA_START.test(cell) ? `'${cell}` : cell);
        }
        record += lastText[i];
      }
    }
    return `${record}\r\n`;
  };
}

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
  const formatRecord = recordFormatter(options.spreadsheetSafe ?? true);
  let count = 0;
  let chunk = '';
  let inChunk = 0;
  /** Adds a record to the chunk; true when the chunk is full. */
  const add = (row: readonly CsvCell[]) => {
    chunk += formatRecord(row);
    return ++inChunk === ROWS_PER_CHUNK;
  };
  const take = () => {
    const full = chunk;
    count += inChunk;
    chunk = '';
    inChunk = 0;
    return full;
  };
  async function* chunks() {
    yield (options.bom ? '\uFEFF' : '') + formatRecord(header);
    // A for await over a plain iterable would cost a promise per row.
    if (Symbol.asyncIterator in rows) {
      for await (const row of rows) if (add(row)) yield take();
    } else {
      for (const row of rows) if (add(row)) yield take();
    }
    if (inChunk > 0) yield take();
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
