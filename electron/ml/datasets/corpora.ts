/**
 * A data set that is a list of folders (or labels CSVs), each labelled its own way: RAVDESS by its
 * names, nEMO by its names and data.tsv, a user's recordings by sub-folders or a CSV. Each clip
 * keeps its corpus's name, and speakers are named per corpus (two corpora's "01" are two people).
 */
import { DatasetError } from './errors.ts';
import { importDataset, type ImportOptions } from './import.ts';
import { orderLabels } from './label-order.ts';
import type { Dataset } from './types.ts';

/** One source, or several whose union is the data set. */
export type DataSources = ImportOptions | readonly ImportOptions[];

export function sourceList(data: DataSources): readonly ImportOptions[] {
  return 'length' in data ? data : [data];
}

/**
 * Imports each source and joins them. One source is returned as importDataset gives it (speaker
 * ids unchanged, so single-corpus runs and their records read as before); with several, speaker
 * ids become corpus:speaker, so a speaker-independent split can never put one corpus's speaker on
 * both sides because another corpus reuses the id.
 */
export async function importCorpora(data: DataSources): Promise<Dataset> {
  const sources = sourceList(data);
  if (sources.length === 0) throw new DatasetError('give at least one data set folder or labels CSV');
  const parts: Dataset[] = [];
  for (const source of sources) parts.push(await importDataset(source));
  if (parts.length === 1) return parts[0];
  const owner = new Map<string, string>();
  for (const part of parts) {
    for (const corpus of new Set(part.items.map((i) => i.corpus as string))) {
      const other = owner.get(corpus);
      if (other !== undefined) {
        throw new DatasetError(`${other} and ${part.root} are both corpus "${corpus}": give one of them another corpus name (or folder name)`);
      }
      owner.set(corpus, part.root);
    }
  }
  const items = parts.flatMap((part) => part.items.map((item) => (item.speaker === undefined ? item : { ...item, speaker: `${item.corpus}:${item.speaker}` })));
  return {
    root: parts.map((p) => p.root).join(' + '),
    convention: 'corpora',
    labels: orderLabels(items.map((i) => i.label)),
    items,
    rejected: parts.flatMap((p) => p.rejected),
  };
}
