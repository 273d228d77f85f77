/**
 * The model card's figures as Markdown: each speaker fold's test figures and their mean ± sd, the
 * folds' test clips pooled (each clip tested once), and the clean random split; runs still to do
 * are named as such, so every figure printed is one a run measured.
 */
import { formatMeanSdPercent, formatMeanSdPoints, formatPercent } from '../electron/cli/evaluation-report.ts';
import { formatTable } from '../electron/cli/table.ts';
import { formatDuration } from '../electron/cli/training-progress.ts';
import type { Evaluation } from '../electron/ml/evaluate.ts';
import { completedFolds, summariseFoldOutcomes, type FoldOutcome } from '../electron/ml/speaker-protocol.ts';
import type { TrainingResult } from '../electron/ml/train.ts';

export interface ProtocolRuns {
  /** The recipe's settings by name, as recorded. */
  recipe: Record<string, string>;
  /** Fold k's result at index k − 1; null (or a run that did not complete) while it is to run. */
  folds: readonly (TrainingResult | null)[];
  random: TrainingResult | null;
}

export const points = (gap: number | null) => (gap === null ? 'n/a' : (100 * gap).toFixed(1));
export const markdown = (head: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
export const genders = (e: Evaluation) => e.genders.map((g) => `${g.gender} ${formatPercent(g.accuracy)}`).join(', ');
export const run = (r: TrainingResult) => `epoch ${r.bestEpoch} of ${r.history.length}, ${formatDuration(r.seconds.training)}`;

/** The speaker folds' table: one row per completed fold, then their mean ± sd. */
export function foldTable(done: readonly FoldOutcome[], summary: ReturnType<typeof summariseFoldOutcomes>): string {
  const rows: (string | number)[][] = done.map(({ fold, testSpeakers, result: r }) => {
    const e = r.test as Evaluation;
    return [fold, testSpeakers.join(', '), e.clips, `**${formatPercent(e.accuracy)}**`, e.macroF1.toFixed(3), points(e.genderGap), genders(e), run(r)];
  });
  rows.push([
    'mean ± sd',
    '',
    summary.pooled.clips,
    `**${formatMeanSdPercent(summary.accuracy)}**`,
    `${summary.macroF1.mean.toFixed(3)} ± ${summary.macroF1.sd.toFixed(3)}`,
    summary.genderGap ? formatMeanSdPoints(summary.genderGap) : 'n/a',
    '',
    '',
  ]);
  return markdown(['fold', 'test actors', 'clips', 'accuracy', 'macro-F1', 'gender gap (points)', 'by gender', 'best epoch, training time'], rows);
}

function perClass(e: Evaluation): string {
  const table = markdown(
    ['label', 'clips', 'precision', 'recall', 'F1'],
    e.classes.map((c) => [c.label, c.support, c.precision.toFixed(3), c.recall.toFixed(3), c.f1.toFixed(3)]),
  );
  const confusion = formatTable(
    [{ title: '' }, ...e.labels.map((l) => ({ title: l, align: 'right' as const }))],
    e.labels.map((l, i) => [l, ...e.confusion[i]]),
  );
  return `${table}\n\nConfusion matrix (rows: true label, columns: predicted):\n\n\`\`\`\n${confusion}\n\`\`\``;
}

export const formatRecipe = (recipe: Record<string, string>) => `Recipe: ${Object.entries(recipe).map(([k, v]) => `${k} ${v}`).join(', ')}.`;

export function formatProtocolFigures({ recipe, folds: results, random }: ProtocolRuns): string {
  const out: string[] = [formatRecipe(recipe), ''];
  const folds = results.length;
  const done = completedFolds(results);
  out.push(`### Speaker-independent (${done.length} of ${folds} folds run)`, '');
  if (done.length > 0) {
    const summary = summariseFoldOutcomes(done);
    out.push(foldTable(done, summary), '');
    const missing = Array.from({ length: folds }, (_, i) => i + 1).filter((f) => !done.some((d) => d.fold === f));
    if (missing.length > 0) out.push(`Fold${missing.length > 1 ? 's' : ''} ${missing.join(', ')} still to run: the mean is over ${done.length} of ${folds} folds.`, '');
    const pooled = summary.pooled;
    out.push(
      `Pooled over the ${pooled.clips} test clips above (each tested once, by the fold that never heard its actor): accuracy ${formatPercent(pooled.accuracy)}, macro-F1 ${pooled.macroF1.toFixed(3)}, ${genders(pooled)} (gap ${points(pooled.genderGap)} points).`,
      '',
      perClass(pooled),
      '',
    );
  }

  out.push('### Random stratified 80/10/10, clean (deduplicated; augmented copies on the training side only)', '');
  if (random?.status === 'completed' && random.test) {
    const e = random.test;
    out.push(`${e.clips} test clips: accuracy **${formatPercent(e.accuracy)}**, macro-F1 ${e.macroF1.toFixed(3)}, ${genders(e)} (gap ${points(e.genderGap)} points); ${run(random)}.`, '', perClass(e));
  } else {
    out.push('Still to run.');
  }
  return out.join('\n');
}
