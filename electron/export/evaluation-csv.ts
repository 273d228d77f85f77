import { getModelById, StoreError, type StoreDb } from '../store/index.ts';
import { exportCsv, type CsvCell, type CsvOptions } from './csv.ts';
import { round6 } from './numbers.ts';
import { classificationReport, type ClassScores } from '../ml/classification-report.ts';

/**
 * What was evaluated on what: every row carries it in leading columns, so a file read on its own,
 * or several concatenated, still says which model and data set each figure belongs to.
 */
export interface EvaluationCsvSubject {
  modelId: string;
  modelName: string;
  /** The data set's folder (or session), or null where it is not known. */
  dataset: string | null;
  /** ISO time of the evaluation. */
  evaluatedAt: string;
}

const SUBJECT_COLUMNS = ['model_id', 'model', 'dataset', 'clips', 'evaluated_at'];

export function evaluationHeader(labels: readonly string[]): string[] {
  return [...SUBJECT_COLUMNS, 'label', 'support', 'precision', 'recall', 'f1', ...labels.map((l) => `predicted_${l}`)];
}

/**
 * One row per true class with its scores and its confusion-matrix row, then macro and weighted
 * averages and the accuracy (in the f1 column, as scikit-learn's classification report shows it),
 * each after the subject columns (clips: the clips evaluated).
 */
export function evaluationRows(subject: EvaluationCsvSubject, labels: readonly string[], confusion: readonly (readonly number[])[]): CsvCell[][] {
  const report = classificationReport(labels, confusion);
  const blank = labels.map(() => null);
  const scores = (s: Omit<ClassScores, 'label'>) => [s.support, round6(s.precision), round6(s.recall), round6(s.f1)];
  const lead = [subject.modelId, subject.modelName, subject.dataset, report.total, subject.evaluatedAt];
  return [
    ...report.classes.map((c, i) => [c.label, ...scores(c), ...confusion[i]]),
    ['macro avg', ...scores(report.macro), ...blank],
    ['weighted avg', ...scores(report.weighted), ...blank],
    ['accuracy', report.total, null, null, round6(report.accuracy), ...blank],
  ].map((row) => [...lead, ...row]);
}

/** Writes a model's test-set evaluation from the confusion matrix stored in its metrics. */
export async function exportEvaluation(db: StoreDb, target: string, options: CsvOptions & { modelId: number }): Promise<number> {
  const model = getModelById(db, options.modelId);
  if (!model) throw new StoreError(`no model with id ${options.modelId}`);
  const confusion = model.metrics?.confusion;
  if (!confusion) throw new StoreError(`model "${model.name}" has no stored evaluation (no confusion matrix in its metrics)`);
  const subject = { modelId: String(model.id), modelName: model.name, dataset: trainingData(model.provenance), evaluatedAt: model.createdAt };
  return exportCsv(target, evaluationHeader(model.labels), evaluationRows(subject, model.labels, confusion), options);
}

/** The data set a registered model records (its test clips are drawn from it). */
function trainingData(provenance: unknown): string | null {
  const data = (provenance as { data?: unknown } | null)?.data;
  return typeof data === 'string' ? data : null;
}
