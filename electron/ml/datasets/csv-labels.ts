import { parse } from 'csv-parse/sync';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { DatasetError } from './errors.ts';
import { normaliseLabel } from './label-order.ts';
import type { DatasetItem, Gender, RejectedFile } from './types.ts';

const COLUMNS = ['path', 'label', 'speaker', 'gender'] as const;
type Column = (typeof COLUMNS)[number];

const GENDERS: Readonly<Record<string, Gender>> = { m: 'male', male: 'male', f: 'female', female: 'female' };

/**
 * Reads a CSV of path,label[,speaker[,gender]]. A first row naming the columns (path and label, in
 * any order, other columns ignored) is a header; without one the columns are positional. Relative
 * paths are resolved against the CSV's folder. Gender is male/female (or m/f) in any case; any
 * other value, or none, leaves it unknown. Rows without a path or label, rows naming a file listed
 * before, and rows whose file does not exist are rejected with their line number.
 * Nothing of the file's text comes back in an error or a rejected row, only line numbers and the
 * paths of files that exist: the file may be any file the user can read rather than a labels CSV.
 */
export async function readLabelCsv(csvPath: string): Promise<{ items: DatasetItem[]; rejected: RejectedFile[] }> {
  let text: string;
  try {
    text = await readFile(csvPath, 'utf8');
  } catch (err) {
    throw new DatasetError(`${csvPath}: cannot read the labels file (${(err as Error).message})`);
  }
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    // csv-parse's types do not model `info: true`, which wraps each record with its line number.
    rows = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as unknown as typeof rows;
  } catch (err) {
    // csv-parse's messages quote the offending text; its code and line say enough.
    const { code, lines } = err as { code?: string; lines?: number };
    throw new DatasetError(`${csvPath}: not a valid CSV (${code ?? 'unreadable'}${lines === undefined ? '' : ` at line ${lines}`})`);
  }
  const columns = columnIndexes(rows[0]?.record ?? []);
  const data = columns.header ? rows.slice(1) : rows;
  const base = dirname(resolve(csvPath));
  const items: DatasetItem[] = [];
  const rejected: RejectedFile[] = [];
  const firstLine = new Map<string, number>();
  for (const { record, info } of data) {
    const cell = (column: Column) => (columns.index[column] === undefined ? '' : (record[columns.index[column]] ?? ''));
    const at = `line ${info.lines} of ${basename(csvPath)}`;
    const path = cell('path') ? resolve(base, cell('path')) : '';
    const exists = path !== '' && (await isFile(path));
    if (!cell('path') || !cell('label')) {
      rejected.push({ path: exists ? path : csvPath, reason: `${at}: needs a path and a label` });
      continue;
    }
    if (!exists) {
      rejected.push({ path: csvPath, reason: `${at}: names no existing file` });
      continue;
    }
    const seen = firstLine.get(path);
    if (seen !== undefined) {
      rejected.push({ path, reason: `${at}: already listed on line ${seen}` });
      continue;
    }
    firstLine.set(path, info.lines);
    const gender = GENDERS[cell('gender').toLowerCase()];
    items.push({
      path,
      label: normaliseLabel(cell('label')),
      ...(cell('speaker') ? { speaker: cell('speaker') } : {}),
      ...(gender ? { gender } : {}),
    });
  }
  return { items, rejected };
}

function columnIndexes(first: string[]): { header: boolean; index: Partial<Record<Column, number>> } {
  const names = first.map((cell) => cell.toLowerCase());
  if (names.includes('path') && names.includes('label')) {
    const index: Partial<Record<Column, number>> = {};
    for (const column of COLUMNS) if (names.includes(column)) index[column] = names.indexOf(column);
    return { header: true, index };
  }
  return { header: false, index: { path: 0, label: 1, speaker: 2, gender: 3 } };
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}
