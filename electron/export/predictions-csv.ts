import { outcomeOf } from '../ml/calibration.ts';
import { iteratePredictionReport, predictionLabels, type PredictionFilter, type PredictionReportRow, type StoreDb } from '../store/index.ts';
import { exportCsv, type CsvCell, type CsvOptions } from './csv.ts';
import { lacksSpeech, NO_SPEECH } from '../shared/outcomes.ts';
import { round6, roundOrNull } from './numbers.ts';
import { WindowMeans } from './window-means.ts';

/**
 * window: one row per window; file: one per file and run (the mean of its windows with speech, as
 * the classifier's file result); both: each file row followed by its windows.
 */
export type PredictionScope = 'window' | 'file' | 'both';

export interface PredictionsReportOptions extends CsvOptions {
  filter?: PredictionFilter;
  scope?: PredictionScope;
  /** Top probabilities below this get the outcome "uncertain"; default none. */
  minConfidence?: number | null;
}

export function predictionsHeader(labels: readonly string[]): string[] {
  return [
    'path',
    'scope',
    'start_s',
    'end_s',
    'top_label',
    'confidence',
    'speech_share',
    'outcome',
    ...labels.map((l) => `p_${l}`),
    'model',
    'model_version',
    'run_id',
    'predicted_at',
  ];
}

/** The windows of one file in one run of one model. */
interface FileGroup {
  first: PredictionReportRow;
  end: number;
  means: WindowMeans;
  /** Kept only for scope 'both'. */
  windows: PredictionReportRow[];
}

const sameFile = (a: PredictionReportRow, b: PredictionReportRow) => a.modelId === b.modelId && a.recordingId === b.recordingId && a.runId === b.runId;

/**
 * Report rows for prediction rows that arrive grouped by model, recording and run (as
 * iteratePredictionReport yields them). Probability columns follow `labels`, the union of the
 * models' classes; a class a row's model lacks is left empty. Only one file's windows are
 * held at a time, and only for scope 'both'.
 */
export function* predictionsRows(
  predictions: Iterable<PredictionReportRow>,
  labels: readonly string[],
  scope: PredictionScope = 'window',
  minConfidence: number | null = null,
): Generator<CsvCell[]> {
  const columnsOf = new Map<readonly string[], number[]>();
  const columns = (modelLabels: readonly string[]) => {
    let map = columnsOf.get(modelLabels);
    if (!map) columnsOf.set(modelLabels, (map = labels.map((l) => modelLabels.indexOf(l))));
    return map;
  };
  const row = (p: PredictionReportRow, kind: string, start: number, end: number, probabilities: readonly number[], speech: number | null, noSpeech: boolean): CsvCell[] => {
    let top = 0;
    for (let i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[top]) top = i;
    const outcome = noSpeech ? NO_SPEECH : outcomeOf(p.labels[top], probabilities[top], minConfidence);
    const cells: CsvCell[] = [p.path, kind, round6(start), round6(end), p.labels[top], round6(probabilities[top]), roundOrNull(speech), outcome];
    for (const i of columns(p.labels)) cells.push(i < 0 ? null : round6(probabilities[i]));
    cells.push(p.modelName, p.modelVersion, p.runId, p.createdAt);
    return cells;
  };
  const windowRow = (w: PredictionReportRow) => row(w, 'window', w.startSec, w.endSec, w.probabilities, w.speechShare, lacksSpeech(w.speechShare));
  const fileRow = (g: FileGroup) => {
    const { mean, noSpeech } = g.means.mean();
    return row(g.first, 'file', g.first.startSec, g.end, mean, g.means.speechShare(), noSpeech);
  };
  function* flush(g: FileGroup): Generator<CsvCell[]> {
    yield fileRow(g);
    for (const w of g.windows) yield windowRow(w);
  }

  let group: FileGroup | undefined;
  for (const p of predictions) {
    if (scope === 'window') {
      yield windowRow(p);
      continue;
    }
    if (!group || !sameFile(group.first, p)) {
      if (group) yield* flush(group);
      group = { first: p, end: p.endSec, means: new WindowMeans(p.probabilities.length), windows: [] };
    }
    group.end = Math.max(group.end, p.endSec);
    group.means.add(p.probabilities, p.speechShare);
    if (scope === 'both') group.windows.push(p);
  }
  if (group) yield* flush(group);
}

/** Streams the matching predictions from the store into a CSV report; resolves with the row count. */
export async function exportPredictions(db: StoreDb, target: string, options: PredictionsReportOptions = {}): Promise<number> {
  const filter = options.filter ?? {};
  const labels = predictionLabels(db, filter);
  return exportCsv(target, predictionsHeader(labels), predictionsRows(iteratePredictionReport(db, filter), labels, options.scope, options.minConfidence ?? null), options);
}
