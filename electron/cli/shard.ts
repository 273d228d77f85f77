import { UsageError } from './usage-error.ts';

/**
 * One of `count` parts of a run split across machines. The index counts from 0, as Kubernetes'
 * JOB_COMPLETION_INDEX does and a Slurm `--array=0-(n-1)` gives SLURM_ARRAY_TASK_ID, so a job
 * passes its index through unchanged.
 */
export interface Shard {
  index: number;
  count: number;
}

/** A commander argument parser for `--shard i/n`. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index >= count) {
    throw new UsageError(`--shard must be i/n with 0 <= i < n (e.g. 0/4 for the first of four), got "${text}"`);
  }
  return { index, count };
}

/**
 * The shard's part of the input files: the list sorted by UTF-16 code units (not the locale, which
 * may differ between machines), then cut into `count` contiguous runs whose lengths differ by at
 * most one. Every machine given the same inputs computes the same parts, each file falls in exactly
 * one, and because the parts are contiguous the shards' CSVs concatenated in index order list the
 * files as one run over the sorted list does.
 */
export function shardOf(files: readonly string[], shard: Shard): string[] {
  const sorted = [...files].sort();
  const start = Math.floor((shard.index * sorted.length) / shard.count);
  const end = Math.floor(((shard.index + 1) * sorted.length) / shard.count);
  return sorted.slice(start, end);
}
