/**
 * A corpus's own table of its clips (nEMO's data.tsv): speaker and gender per file, which take
 * precedence over what the file name says. Tab-separated with a header naming file_id, speaker_id
 * and gender; file_id names the released file (nEMO's say .wav where ours are .opus), so rows are
 * matched on the name's stem, and values are trimmed (nEMO pads speaker_id with spaces).
 */
import { parse } from 'csv-parse/sync';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DatasetError } from './errors.ts';
import { nameStem } from './file-name-conventions.ts';
import type { Gender } from './types.ts';

export interface CorpusMetadataRow {
  speaker?: string;
  gender?: Gender;
}

export interface CorpusMetadata {
  file: string;
  /** By file name stem. */
  rows: Map<string, CorpusMetadataRow>;
}

const GENDERS: Readonly<Record<string, Gender>> = { male: 'male', m: 'male', female: 'female', f: 'female' };

/**
 * The table named `file` in the data set folder, or in the folder above it (nEMO keeps data.tsv
 * beside samples/, and either folder may be given); null when neither has it, so names alone label
 * the files.
 */
export async function readCorpusMetadata(root: string, file: string): Promise<CorpusMetadata | null> {
  for (const candidate of [join(root, file), join(dirname(root), file)]) {
    if (!(await stat(candidate).catch(() => null))?.isFile()) continue;
    return { file: candidate, rows: parseTable(await readFile(candidate, 'utf8'), candidate) };
  }
  return null;
}

function parseTable(text: string, file: string): Map<string, CorpusMetadataRow> {
  let records: Record<string, string>[];
  try {
    // Quotes are ordinary characters in the sentences' text column, not field delimiters.
    records = parse(text, { bom: true, columns: true, delimiter: '\t', quote: false, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (err) {
    // As for labels CSVs: csv-parse's messages quote the file's text; its code and line say enough.
    const { code, lines } = err as { code?: string; lines?: number };
    throw new DatasetError(`${file}: not a valid tab-separated table (${code ?? 'unreadable'}${lines === undefined ? '' : ` at line ${lines}`})`);
  }
  if (records.length > 0 && !('file_id' in records[0])) throw new DatasetError(`${file}: its header names no file_id column`);
  const rows = new Map<string, CorpusMetadataRow>();
  for (const record of records) {
    if (!record.file_id) continue;
    const gender = GENDERS[(record.gender ?? '').toLowerCase()];
    rows.set(nameStem(record.file_id), { ...(record.speaker_id ? { speaker: record.speaker_id } : {}), ...(gender ? { gender } : {}) });
  }
  return rows;
}
