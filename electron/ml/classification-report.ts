/**
 * Per-class scores from a confusion matrix: the figures of every evaluation, whether the trainer,
 * the evaluate command or a CSV report asks for them.
 */
import { StoreError } from '../store/index.ts';

export interface ClassScores {
  label: string;
  /** Clips whose true class this is. */
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationReport {
  classes: ClassScores[];
  macro: Omit<ClassScores, 'label'>;
  /** Averages weighted by support. */
  weighted: Omit<ClassScores, 'label'>;
  accuracy: number;
  total: number;
}

const ratio = (num: number, den: number) => (den > 0 ? num / den : 0);

/**
 * Per-class precision, recall and F1 from a confusion matrix (rows: true class, columns:
 * predicted). An undefined ratio (a class never predicted, or absent) counts as 0, as in
 * scikit-learn's default, so macro-F1 is comparable with published figures.
 */
export function classificationReport(labels: readonly string[], confusion: readonly (readonly number[])[]): ClassificationReport {
  const n = labels.length;
  if (confusion.length !== n || confusion.some((row) => row.length !== n)) {
    throw new StoreError(`confusion matrix must be ${n} x ${n}, one row and column per class`);
  }
  if (confusion.some((row) => row.some((c) => !Number.isInteger(c) || c < 0))) {
    throw new StoreError('confusion matrix cells must be counts (non-negative integers)');
  }
  const total = confusion.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  const classes = labels.map((label, i) => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, row) => sum + row[i], 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    return { label, support, precision, recall, f1: ratio(2 * precision * recall, precision + recall) };
  });
  const average = (weight: (c: ClassScores) => number) => {
    const w = classes.reduce((sum, c) => sum + weight(c), 0);
    const mean = (key: 'precision' | 'recall' | 'f1') => ratio(classes.reduce((sum, c) => sum + weight(c) * c[key], 0), w);
    return { support: total, precision: mean('precision'), recall: mean('recall'), f1: mean('f1') };
  };
  return {
    classes,
    macro: average(() => 1),
    weighted: average((c) => c.support),
    accuracy: ratio(
      labels.reduce((sum, _, i) => sum + confusion[i][i], 0),
      total,
    ),
    total,
  };
}
