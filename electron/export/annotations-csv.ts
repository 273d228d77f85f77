import { iterateAnnotationReport, type AnnotationReportRow, type StoreDb } from '../store/index.ts';
import { exportCsv, type CsvCell, type CsvOptions } from './csv.ts';
import { round6 } from './numbers.ts';

export const ANNOTATIONS_HEADER = [
  'annotation_id',
  'session',
  'path',
  'start_s',
  'end_s',
  'label',
  'intensity',
  'annotator',
  'note',
  'created_at',
  'updated_at',
] as const;

export function* annotationsRows(annotations: Iterable<AnnotationReportRow>): Generator<CsvCell[]> {
  for (const a of annotations) {
    yield [
      a.id,
      a.sessionName,
      a.path,
      round6(a.startSec),
      round6(a.endSec),
      a.label,
      a.intensity,
      a.annotator,
      a.note,
      a.createdAt,
      a.updatedAt,
    ];
  }
}

/** Streams the annotations of one session (or all) into a CSV report; resolves with the row count. */
export async function exportAnnotations(db: StoreDb, target: string, options: CsvOptions & { sessionId?: number } = {}): Promise<number> {
  return exportCsv(target, ANNOTATIONS_HEADER, annotationsRows(iterateAnnotationReport(db, { sessionId: options.sessionId })), options);
}
