/**
 * A recording's prediction timeline from all its classification runs by one model: the newest run
 * wins where runs overlap, so classifying a stretch again replaces just that stretch's windows.
 */
import type { PredictionRow } from '../store/index.ts';
import type { WindowPrediction } from './contract.ts';

interface Run {
  createdAt: string;
  firstId: number;
  start: number;
  end: number;
  windows: PredictionRow[];
}

export function mergeRuns(rows: Iterable<PredictionRow>): WindowPrediction[] {
  const runs = new Map<string, Run>();
  for (const row of rows) {
    let run = runs.get(row.runId);
    if (!run) runs.set(row.runId, (run = { createdAt: row.createdAt, firstId: row.id, start: row.startSec, end: row.endSec, windows: [] }));
    run.start = Math.min(run.start, row.startSec);
    run.end = Math.max(run.end, row.endSec);
    run.windows.push(row);
  }
  const newestFirst = [...runs.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.firstId - a.firstId);
  const covered: { start: number; end: number }[] = [];
  const kept: WindowPrediction[] = [];
  for (const run of newestFirst) {
    for (const w of run.windows) {
      if (covered.some((c) => w.startSec < c.end && w.endSec > c.start)) continue;
      kept.push({ startSec: w.startSec, endSec: w.endSec, probabilities: w.probabilities });
    }
    covered.push({ start: run.start, end: run.end });
  }
  return kept.sort((a, b) => a.startSec - b.startSec || a.endSec - b.endSec);
}

/** Mean of the windows' probabilities; empty when there are no windows. */
export function meanOf(windows: readonly WindowPrediction[]): number[] {
  if (windows.length === 0) return [];
  const mean = new Array<number>(windows[0].probabilities.length).fill(0);
  for (const w of windows) w.probabilities.forEach((p, k) => (mean[k] += p / windows.length));
  return mean;
}
