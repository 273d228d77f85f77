/** How --data and --labels-csv/--csv (each repeatable) and --convention name a data set's sources. */
import type { DataSources, FolderConvention } from '../ml/datasets/index.ts';
import { UsageError } from './usage-error.ts';

/** A commander collector: each --data (or labels CSV) adds one source. */
export const collect = (value: string, previous: readonly string[] = []): string[] => [...previous, value];

/**
 * At most one folder and one CSV: one source, as before (the CSV labels the folder's files). More:
 * one corpus each, every folder's naming detected on its own.
 */
export function dataSources(folders: readonly string[], csvs: readonly string[], convention: FolderConvention | undefined, csvFlag: string): DataSources {
  if (folders.length === 0 && csvs.length === 0) throw new UsageError(`give a data set: --data DIR or ${csvFlag} FILE (repeat them for a union of corpora)`);
  if (folders.length <= 1 && csvs.length <= 1) return { dir: folders[0], csv: csvs[0], convention };
  if (convention) throw new UsageError('--convention names the labelling of one folder: with several corpora, each folder\'s is detected');
  return [...folders.map((dir) => ({ dir })), ...csvs.map((csv) => ({ csv }))];
}
