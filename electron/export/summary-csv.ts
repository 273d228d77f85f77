import { labelSummary, type StoreDb, type SummaryFilter } from '../store/index.ts';
import { exportCsv, type CsvOptions } from './csv.ts';
import { round6 } from './numbers.ts';

export const SUMMARY_HEADER = ['label', 'annotations', 'annotated_s', 'predicted_windows', 'mean_confidence'] as const;

/** Writes counts per label (annotations, annotated seconds, predicted windows, mean confidence). */
export async function exportSummary(db: StoreDb, target: string, options: CsvOptions & SummaryFilter = {}): Promise<number> {
  const rows = labelSummary(db, { sessionId: options.sessionId, modelId: options.modelId }).map((s) => [
    s.label,
    s.annotations,
    round6(s.annotatedSeconds),
    s.predictedWindows,
    s.meanConfidence === null ? null : round6(s.meanConfidence),
  ]);
  return exportCsv(target, SUMMARY_HEADER, rows, options);
}
