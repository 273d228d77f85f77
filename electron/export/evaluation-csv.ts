import { getModelById, StoreError, type StoreDb } from '../store/index.ts';
import { exportCsv, type CsvCell, type CsvOptions } from './csv.ts';
import { round6 } from './numbers.ts';
import { classificationReport, type ClassScores } from '../ml/classification-report.ts';

export function evaluationHeader(labels: readonly string[]): string[] {
  return ['label', 'support', 'precision', 'recall', 'f1', ...labels.map((l) => `predicted_${l}`)];
}

/**
 * One row per true class with its scores and its confusion-matrix row, then macro and weighted
 * averages and the accuracy (in the f1 column, as scikit-learn's classification report shows it).
 */
export function evaluationRows(labels: readonly string[], confusion: readonly (readonly number[])[]): CsvCell[][] {
  const report = classificationReport(labels, confusion);
  const blank = labels.map(() => null);
  const scores = (s: Omit<ClassScores, 'label'>) => [s.support, round6(s.precision), round6(s.recall), round6(s.f1)];
  return [
    ...report.classes.map((c, i) => [c.label, ...scores(c), ...confusion[i]]),
    ['macro avg', ...scores(report.macro), ...blank],
    ['weighted avg', ...scores(report.weighted), ...blank],
    ['accuracy', report.total, null, null, round6(report.accuracy), ...blank],
  ];
}

/** Writes a model's test-set evaluation from the confusion matrix stored in its metrics. */
export async function exportEvaluation(db: StoreDb, target: string, options: CsvOptions & { modelId: number }): Promise<number> {
  const model = getModelById(db, options.modelId);
  if (!model) throw new StoreError(`no model with id ${options.modelId}`);
  const confusion = model.metrics?.confusion;
  if (!confusion) throw new StoreError(`model "${model.name}" has no stored evaluation (no confusion matrix in its metrics)`);
  return exportCsv(target, evaluationHeader(model.labels), evaluationRows(model.labels, confusion), options);
}
