/** How --data (repeatable), --labels-csv/--csv and --convention name a data set's sources. */
import type { DataSources, FolderConvention } from '../ml/datasets/index.ts';
import { UsageError } from './usage-error.ts';

/** A commander collector: each --data adds one folder. */
export const collectFolder = (value: string, previous: readonly string[] = []): string[] => [...previous, value];

/**
 * One folder (or none) with a CSV and a convention: one source, as before. Several folders: one
 * corpus each, every folder's naming detected on its own, and a CSV is one more corpus.
 */
export function dataSources(folders: readonly string[], csv: string | undefined, convention: FolderConvention | undefined, csvFlag: string): DataSources {
  if (folders.length === 0 && !csv) throw new UsageError(`give a data set: --data DIR (repeat it for a union of corpora) or ${csvFlag} FILE`);
  if (folders.length <= 1) return { dir: folders[0], csv, convention };
  if (convention) throw new UsageError('--convention names the labelling of one folder: with several --data folders, each folder\'s is detected');
  return [...folders.map((dir) => ({ dir })), ...(csv ? [{ csv }] : [])];
}
