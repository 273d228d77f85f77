import type { Evaluation, MeanSd } from '../ml/evaluate.ts';
import { wilsonInterval, type Interval } from '../shared/wilson.ts';
import { formatTable } from './table.ts';

/** A fraction as a percentage with one decimal: "64.2%". */
export const formatPercent = (x: number) => `${(100 * x).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);

/** Mean ± sd of fractions, in percentage points: "12.3 ± 4.5". */
export function formatMeanSdPoints(m: MeanSd): string {
  return `${(100 * m.mean).toFixed(1)} ± ${(100 * m.sd).toFixed(1)}`;
}

/** Mean ± sd of fractions, as percentages: "64.2% ± 3.1". */
export function formatMeanSdPercent(m: MeanSd): string {
  return `${formatPercent(m.mean)} ± ${(100 * m.sd).toFixed(1)}`;
}

/** A 95% interval of fractions, as percentages: "[58.1, 70.0]". */
export const formatInterval = ({ lower, upper }: Interval) => `[${(100 * lower).toFixed(1)}, ${(100 * upper).toFixed(1)}]`;

/** An evaluation as text tables: overall, per class, confusion matrix, per gender, per speaker. */
export function formatEvaluation(e: Evaluation, title: string): string {
  const out = [`${title}: ${e.clips} clips, accuracy ${formatPercent(e.accuracy)} (95% interval ${formatInterval(e.accuracyInterval)}), macro-F1 ${f3(e.macroF1)}, weighted F1 ${f3(e.weightedF1)}`];
  if (e.calibration) out.push(`Expected calibration error (15 bins): ${f3(e.calibration.ece)}`);
  out.push('');
  out.push(
    formatTable(
      [{ title: 'Label' }, { title: 'Clips' }, { title: 'Precision' }, { title: 'Recall' }, { title: 'F1' }],
      e.classes.map((c) => [c.label, c.support, f3(c.precision), f3(c.recall), f3(c.f1)]),
    ),
    '',
    'Confusion matrix (rows: true label, columns: predicted)',
    formatTable(
      [{ title: '' }, ...e.labels.map((l) => ({ title: l, align: 'right' as const }))],
      e.labels.map((l, i) => [l, ...e.confusion[i]]),
    ),
  );
  if (e.genders.length > 0) {
    out.push('', formatTable([{ title: 'Gender' }, { title: 'Clips' }, ...ACCURACY_COLUMNS], e.genders.map((g) => [g.gender, g.clips, ...accuracyCells(g)])));
    if (e.genderGap !== null) out.push(`Gender gap: ${(100 * e.genderGap).toFixed(1)} points`);
  }
  if (e.speakers.length > 0) {
    out.push('', formatTable([{ title: 'Speaker' }, { title: 'Clips' }, ...ACCURACY_COLUMNS], e.speakers.map((s) => [s.speaker, s.clips, ...accuracyCells(s)])));
  }
  return out.join('\n');
}

const ACCURACY_COLUMNS = [
  { title: 'Accuracy', align: 'right' as const },
  { title: '95% interval', align: 'right' as const },
];

/** A group's accuracy and its interval: a speaker's few clips say much less than the whole set. */
const accuracyCells = (g: { correct: number; clips: number; accuracy: number }) => [formatPercent(g.accuracy), formatInterval(wilsonInterval(g.correct, g.clips))];
