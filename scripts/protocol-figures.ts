/**
 * The model card's figures, as Markdown, from the protocol record (scripts/train-bundled.ts writes
 * it): each speaker fold's test figures and their mean ± sd, the folds' test clips pooled (each
 * clip tested once), and the clean random split. Only recorded results are used, so every figure
 * on the card is one a run measured; folds still to run are named as such.
 *
 * Usage: node bin/run-ts.mjs scripts/protocol-figures.ts [--record models/protocol]
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatMeanSdPercent, formatMeanSdPoints } from '../electron/cli/evaluation-report.ts';
import { formatTable } from '../electron/cli/table.ts';
import { formatDuration } from '../electron/cli/training-progress.ts';
import { summariseFolds, type Evaluation } from '../electron/ml/evaluate.ts';
import type { TrainingResult } from '../electron/ml/train.ts';

const { values: args } = parseArgs({ options: { record: { type: 'string', default: join('models', 'protocol') } } });
const record = args.record as string;
const recipe = JSON.parse(await readFile(join(record, 'recipe.json'), 'utf8')) as Record<string, string>;

async function result(name: string): Promise<TrainingResult | null> {
  const file = join(record, name);
  return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as TrainingResult) : null;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const points = (gap: number | null) => (gap === null ? 'n/a' : (100 * gap).toFixed(1));
const markdown = (head: readonly string[], rows: readonly (readonly (string | number)[])[]) =>
  [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
const genders = (e: Evaluation) => e.genders.map((g) => `${g.gender} ${pct(g.accuracy)}`).join(', ');
const run = (r: TrainingResult) => `epoch ${r.bestEpoch} of ${r.history.length}, ${formatDuration(r.seconds.training)}`;

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

const out: string[] = [`Recipe: ${Object.entries(recipe).map(([k, v]) => `${k} ${v}`).join(', ')}.`, ''];
const folds = Number(recipe.folds);
const done: { fold: number; result: TrainingResult }[] = [];
for (let fold = 1; fold <= folds; fold++) {
  const r = await result(`result-${fold}.json`);
  if (r?.status === 'completed' && r.test) done.push({ fold, result: r });
}
out.push(`### Speaker-independent (${done.length} of ${folds} folds run)`, '');
if (done.length > 0) {
  const rows = done.map(({ fold, result: r }) => {
    const e = r.test as Evaluation;
    return [fold, (r.split.speakers?.test ?? []).join(', '), e.clips, `**${pct(e.accuracy)}**`, e.macroF1.toFixed(3), points(e.genderGap), genders(e), run(r)];
  });
  const summary = summariseFolds(
    done[0].result.labels,
    done.map(({ result: r }) => ({ evaluation: r.test as Evaluation, predictions: r.testPredictions })),
  );
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
  out.push(markdown(['fold', 'test actors', 'clips', 'accuracy', 'macro-F1', 'gender gap (points)', 'by gender', 'best epoch, training time'], rows), '');
  const missing = Array.from({ length: folds }, (_, i) => i + 1).filter((f) => !done.some((d) => d.fold === f));
  if (missing.length > 0) out.push(`Fold${missing.length > 1 ? 's' : ''} ${missing.join(', ')} still to run: the mean is over ${done.length} of ${folds} folds.`, '');
  const pooled = summary.pooled;
  out.push(
    `Pooled over the ${pooled.clips} test clips above (each tested once, by the fold that never heard its actor): accuracy ${pct(pooled.accuracy)}, macro-F1 ${pooled.macroF1.toFixed(3)}, ${genders(pooled)} (gap ${points(pooled.genderGap)} points).`,
    '',
    perClass(pooled),
    '',
  );
}

const random = await result('random.json');
out.push('### Random stratified 80/10/10, clean (deduplicated; augmented copies on the training side only)', '');
if (random?.status === 'completed' && random.test) {
  const e = random.test;
  out.push(`${e.clips} test clips: accuracy **${pct(e.accuracy)}**, macro-F1 ${e.macroF1.toFixed(3)}, ${genders(e)} (gap ${points(e.genderGap)} points); ${run(random)}.`, '', perClass(e));
} else {
  out.push('Still to run.');
}
console.log(out.join('\n'));
