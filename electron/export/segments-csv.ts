/**
 * The segments report: per recording and model, the runs of one top label (or "no speech") along
 * its timeline, as the recording view lists them (shared/segments.ts). The timeline merges all the
 * model's runs for the recording, newest on top, as the app draws it.
 */
import { segmentsOf } from '../shared/segments.ts';
import { iteratePredictions, mergeRuns, type PredictionFilter, type PredictionRow, type StoreDb } from '../store/index.ts';
import { exportCsv, type CsvCell, type CsvOptions } from './csv.ts';
import { round6 } from './numbers.ts';

export const SEGMENTS_HEADER = ['path', 'model', 'model_version', 'segment', 'label', 'start_s', 'end_s', 'duration_s', 'windows', 'mean_probability'] as const;

export type SegmentsFilter = Pick<PredictionFilter, 'modelId' | 'sessionId' | 'recordingId'>;

/** Rows come grouped by recording then model (iteratePredictions' order): one group's segments at a time. */
export function* segmentsRows(rows: Iterable<PredictionRow>): Generator<CsvCell[]> {
  let group: PredictionRow[] = [];
  function* flush(): Generator<CsvCell[]> {
    if (group.length === 0) return;
    const { path, modelName, modelVersion, labels } = group[0];
    const segments = segmentsOf(mergeRuns(group), labels);
    for (const [i, s] of segments.entries()) {
      yield [path, modelName, modelVersion, i + 1, s.label, round6(s.startSec), round6(s.endSec), round6(s.durationSec), s.windows, s.meanProbability === null ? null : round6(s.meanProbability)];
    }
    group = [];
  }
  for (const row of rows) {
    if (group.length > 0 && (group[0].recordingId !== row.recordingId || group[0].modelId !== row.modelId)) yield* flush();
    group.push(row);
  }
  yield* flush();
}

/** Writes the segments of the filtered recordings into a CSV report; resolves with the row count. */
export async function exportSegments(db: StoreDb, target: string, options: CsvOptions & { filter?: SegmentsFilter } = {}): Promise<number> {
  return exportCsv(target, SEGMENTS_HEADER, segmentsRows(iteratePredictions(db, options.filter ?? {})), options);
}
