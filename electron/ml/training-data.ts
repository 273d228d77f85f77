/**
 * The clips a training or evaluation run uses: the data set imported, narrowed to the chosen
 * labels, each file's content hashed and duplicates removed, and every class checked to have
 * enough clips to learn and to measure.
 */
import { DEFAULT_MIN_CLIPS_PER_LABEL, importCorpora, summariseDataset, type DataSources, type Dataset, type DatasetItem, type DatasetSummary } from './datasets/index.ts';
import { fileContentHash } from './feature-cache.ts';
import { deduplicate, type Deduplicated } from './splits.ts';

/** A clip with the sha256 of its file's bytes, which names it for splits and augmentation seeds. */
export interface HashedItem extends DatasetItem {
  hash: string;
}

export interface TrainingData {
  /** In output order: the labels asked for, or the data set's own. */
  labels: string[];
  items: HashedItem[];
  /** Of the clips used (after narrowing and deduplication). */
  summary: DatasetSummary;
  duplicates: Deduplicated<HashedItem>['duplicates'];
  conflicts: Deduplicated<HashedItem>['conflicts'];
  /** Clips whose label was not asked for. */
  otherLabels: number;
  /** Files the import could not label or read. */
  rejected: Dataset['rejected'];
}

export class TrainingDataError extends Error {
  override readonly name = 'TrainingDataError';
}

export interface TrainingDataOptions {
  /** One folder or CSV, or several corpora whose union is the data set. */
  data: DataSources;
  /** Keep only these labels, in this order; default: every label of the data set. */
  labels?: readonly string[];
  /** Refuse a class with fewer clips (default 20); 0 accepts any number. */
  minClipsPerLabel?: number;
  /** Labels asked for but absent from the data are an error (default true; evaluation accepts them). */
  requireEveryLabel?: boolean;
}

/** Files hashed at once. */
const HASH_CONCURRENCY = 8;

export async function prepareTrainingData(options: TrainingDataOptions): Promise<TrainingData> {
  const dataset = await importCorpora(options.data);
  const labels = options.labels ? [...options.labels] : dataset.labels;
  const missing = labels.filter((l) => !dataset.labels.includes(l));
  if (missing.length > 0 && (options.requireEveryLabel ?? true)) {
    throw new TrainingDataError(`no clips labelled ${missing.join(', ')} (the data set has ${dataset.labels.join(', ') || 'none'})`);
  }
  if (labels.length < 2) throw new TrainingDataError(`a classifier needs at least 2 labels, got ${labels.length}`);
  const wanted = dataset.items.filter((i) => labels.includes(i.label));
  const hashes = await contentHashes(wanted.map((i) => i.path));
  const unique = deduplicate(
    wanted.map((item, i) => ({ ...item, hash: hashes[i] })),
    (item) => item.hash,
  );
  const summary = summariseDataset({ ...dataset, labels, items: unique.items }, { minClipsPerLabel: options.minClipsPerLabel ?? DEFAULT_MIN_CLIPS_PER_LABEL });
  if (summary.tooFew.length > 0) {
    const counts = summary.labels.filter((l) => l.tooFew).map((l) => `${l.label} ${l.clips}`);
    throw new TrainingDataError(
      `too few clips to learn and measure a class (fewer than ${summary.minClipsPerLabel}): ${counts.join(', ')}; ` +
        'record more, drop the class, or lower the minimum knowingly',
    );
  }
  return {
    labels,
    items: unique.items,
    summary,
    duplicates: unique.duplicates,
    conflicts: unique.conflicts,
    otherLabels: dataset.items.length - wanted.length,
    rejected: dataset.rejected,
  };
}

async function contentHashes(paths: readonly string[]): Promise<string[]> {
  const out = new Array<string>(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      out[i] = await fileContentHash(paths[i]);
    }
  };
  await Promise.all(Array.from({ length: HASH_CONCURRENCY }, worker));
  return out;
}

/** Notes for people about what preparation left out, empty when nothing was. */
export function describeLeftOut(data: TrainingData): string[] {
  const notes: string[] = [];
  if (data.rejected.length > 0) notes.push(`${data.rejected.length} files rejected by the import (ser dataset inspect lists them)`);
  if (data.otherLabels > 0) notes.push(`${data.otherLabels} clips of other labels left out`);
  if (data.duplicates.length > 0) notes.push(`${data.duplicates.length} duplicate files (same content) left out, e.g. ${data.duplicates[0].path} = ${data.duplicates[0].sameAs}`);
  if (data.conflicts.length > 0) {
    const c = data.conflicts[0];
    notes.push(`${data.conflicts.length} sets of identical files with different labels left out, e.g. ${c.paths.join(' = ')} (${c.labels.join(' / ')})`);
  }
  return notes;
}
