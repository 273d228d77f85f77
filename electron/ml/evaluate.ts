/**
 * Evaluation figures from a model's predictions on labelled clips: accuracy, macro-F1, per-class
 * precision/recall/F1 (scikit-learn's definitions, an undefined ratio counting as 0), the
 * confusion matrix, and accuracy per gender and per speaker, which show whom the model serves
 * worse. Pure arithmetic: the model and the clips are the caller's business.
 */
import { classificationReport, type ClassScores } from './classification-report.ts';
import { wilsonInterval, type Interval } from '../shared/wilson.ts';
import { calibrationSummary, type CalibrationSummary } from './calibration.ts';
import type { Gender, GenderOrUnknown } from './datasets/index.ts';

export interface LabelledPrediction {
  /** The true label. */
  label: string;
  predicted: string;
  speaker?: string;
  gender?: Gender;
  /** The top probability; calibration is judged only when every prediction has one. */
  confidence?: number;
}

export interface GroupAccuracy {
  clips: number;
  correct: number;
  accuracy: number;
}

export interface Evaluation {
  labels: string[];
  clips: number;
  accuracy: number;
  /** Wilson 95% interval of the accuracy over these clips. */
  accuracyInterval: Interval;
  /** Expected calibration error (15 bins) and the reliability bins; null unless every prediction has a confidence. */
  calibration: CalibrationSummary | null;
  macroF1: number;
  /** F1 averaged with each class weighted by its clips. */
  weightedF1: number;
  classes: ClassScores[];
  /** confusion[i][j]: clips of true class labels[i] predicted as labels[j]. */
  confusion: number[][];
  /** Male, female, then unknown; only those present. */
  genders: ({ gender: GenderOrUnknown } & GroupAccuracy)[];
  /** |male − female| accuracy (a fraction, not points); null unless both genders are present. */
  genderGap: number | null;
  /** In natural order (speaker 2 before 10). */
  speakers: ({ speaker: string } & GroupAccuracy)[];
}

/** Every true and predicted label must be one of labels, which fix the confusion matrix's order. */
export function evaluatePredictions(labels: readonly string[], predictions: readonly LabelledPrediction[]): Evaluation {
  const index = new Map(labels.map((l, i) => [l, i]));
  const confusion = labels.map(() => labels.map(() => 0));
  for (const p of predictions) {
    const t = index.get(p.label);
    const q = index.get(p.predicted);
    if (t === undefined || q === undefined) {
      throw new RangeError(`label "${t === undefined ? p.label : p.predicted}" is not one of the evaluated labels (${labels.join(', ')})`);
    }
    confusion[t][q]++;
  }
  const report = classificationReport(labels, confusion);
  const genders = (['male', 'female', 'unknown'] as const)
    .map((gender) => ({ gender, ...accuracyOf(predictions.filter((p) => (p.gender ?? 'unknown') === gender)) }))
    .filter((g) => g.clips > 0);
  const male = genders.find((g) => g.gender === 'male');
  const female = genders.find((g) => g.gender === 'female');
  const speakerNames = [...new Set(predictions.flatMap((p) => (p.speaker === undefined ? [] : [p.speaker])))];
  return {
    labels: [...labels],
    clips: predictions.length,
    accuracy: report.accuracy,
    accuracyInterval: wilsonInterval(predictions.filter((p) => p.label === p.predicted).length, predictions.length),
    calibration: predictions.every((p) => p.confidence !== undefined)
      ? calibrationSummary(predictions.map((p) => ({ confidence: p.confidence as number, correct: p.label === p.predicted })))
      : null,
    macroF1: report.macro.f1,
    weightedF1: report.weighted.f1,
    classes: report.classes,
    confusion,
    genders,
    genderGap: male && female ? Math.abs(male.accuracy - female.accuracy) : null,
    speakers: speakerNames
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .map((speaker) => ({ speaker, ...accuracyOf(predictions.filter((p) => p.speaker === speaker)) })),
  };
}

function accuracyOf(predictions: readonly LabelledPrediction[]): GroupAccuracy {
  const correct = predictions.filter((p) => p.label === p.predicted).length;
  return { clips: predictions.length, correct, accuracy: predictions.length > 0 ? correct / predictions.length : 0 };
}

export interface MeanSd {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  sd: number;
  n: number;
}

export function meanSd(values: readonly number[]): MeanSd {
  const n = values.length;
  if (n === 0) throw new RangeError('mean of no values');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd, n };
}

export interface CrossValidationSummary {
  accuracy: MeanSd;
  macroF1: MeanSd;
  /** Over the folds where both genders were tested. */
  genderGap: MeanSd | null;
  /** All folds' test predictions pooled: every clip is tested exactly once across the folds. */
  pooled: Evaluation;
}

/** Mean ± sd of the folds' figures, and the evaluation of all their test predictions together. */
export function summariseFolds(labels: readonly string[], folds: readonly { evaluation: Evaluation; predictions: readonly LabelledPrediction[] }[]): CrossValidationSummary {
  const gaps = folds.flatMap((f) => (f.evaluation.genderGap === null ? [] : [f.evaluation.genderGap]));
  return {
    accuracy: meanSd(folds.map((f) => f.evaluation.accuracy)),
    macroF1: meanSd(folds.map((f) => f.evaluation.macroF1)),
    genderGap: gaps.length > 0 ? meanSd(gaps) : null,
    pooled: evaluatePredictions(
      labels,
      folds.flatMap((f) => f.predictions),
    ),
  };
}
