/**
 * A recording's prediction timeline from all its classification runs by one model: the newest run
 * wins where runs overlap, so classifying a stretch again replaces just that stretch's windows.
 * Here rather than in the API so the reports (export/) draw the same timeline the app shows.
 */
import type { TimelineWindow } from '../shared/segments.ts';
import type { PredictionRow } from './predictions.ts';

interface Run {
  createdAt: string;
  firstId: number;
  start: number;
  end: number;
  windows: PredictionRow[];
}

/** The rows of one recording and one model (any runs), merged into windows in order of start. */
export function mergeRuns(rows: Iterable<PredictionRow>): TimelineWindow[] {
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
  const kept: TimelineWindow[] = [];
  for (const run of newestFirst) {
    for (const w of run.windows) {
      if (covered.some((c) => w.startSec < c.end && w.endSec > c.start)) continue;
      kept.push({ startSec: w.startSec, endSec: w.endSec, probabilities: w.probabilities, speech: w.speechShare });
    }
    covered.push({ start: run.start, end: run.end });
  }
  return kept.sort((a, b) => a.startSec - b.startSec || a.endSec - b.endSec);
}
