/**
 * The model card's cross-corpus figures, from a record of scripts/train-bundled.ts --join: leave
 * one corpus out both ways, the RAVDESS speaker folds with the joined corpora on their training
 * side, and each joined corpus's own speaker folds (pooled). A run without a completed result is
 * named by how far its recorded checkpoint got, never given a figure.
 */
import { join } from 'node:path';
import { formatInterval, formatPercent } from '../electron/cli/evaluation-report.ts';
import { readCheckpointProgress } from '../electron/ml/checkpoint.ts';
import type { Evaluation } from '../electron/ml/evaluate.ts';
import { completedFolds, protocolResultFile, summariseFoldOutcomes } from '../electron/ml/speaker-protocol.ts';
import type { TrainingResult } from '../electron/ml/train.ts';
import { foldTable, genders, markdown, points, run } from './model-card-figures.ts';
import { readCompleted } from './protocol-record.ts';

/** A run of the record: its completed result, else the epochs its recorded checkpoint holds (0: not started). */
export interface RecordedRun {
  name: string;
  result: TrainingResult | null;
  epochs: number;
}

export interface CrossCorpusRuns {
  /** Epochs a run trains at most (the recipe's). */
  epochs: number;
  /** The corpus the folds are made of, as train-bundled names it. */
  foldCorpus: string;
  /** The joined corpora's names. */
  joined: string[];
  /** loco-X for each corpus X: trained on the others, tested on all of X over X's classes. */
  loco: { heldOut: string; run: RecordedRun }[];
  /** The fold corpus's folds with the joined corpora on their training side (result-k.json). */
  joinedFolds: RecordedRun[];
  /** Each joined corpus's own speaker folds (X-fold-k.json). */
  corpusFolds: { corpus: string; folds: RecordedRun[] }[];
}

/** The corpus train-bundled folds (its import's name for RAVDESS). */
const FOLD_CORPUS = 'ravdess';

async function recordedRun(dir: string, name: string, json: string): Promise<RecordedRun> {
  const result = await readCompleted<TrainingResult>(json);
  const epochs = result ? result.history.length : ((await readCheckpointProgress(join(dir, 'checkpoints', name)))?.history.length ?? 0);
  return { name, result, epochs };
}

/** The cross-corpus runs of a record; null when its recipe joined no corpus. */
export async function readCrossCorpusRuns(dir: string, recipe: Record<string, string>): Promise<CrossCorpusRuns | null> {
  if (!recipe.joined) return null;
  const joined = recipe.joined.split(' ');
  const folds = Number(recipe.folds);
  const foldNumbers = Array.from({ length: folds }, (_, i) => i + 1);
  return {
    epochs: Number(recipe.epochs),
    foldCorpus: FOLD_CORPUS,
    joined,
    loco: await Promise.all([...joined, FOLD_CORPUS].map(async (heldOut) => ({ heldOut, run: await recordedRun(dir, `loco-${heldOut}`, join(dir, `loco-${heldOut}.json`)) }))),
    joinedFolds: await Promise.all(foldNumbers.map((k) => recordedRun(dir, `fold-${k}`, protocolResultFile(dir, k)))),
    corpusFolds: await Promise.all(
      joined.map(async (corpus) => ({ corpus, folds: await Promise.all(foldNumbers.map((k) => recordedRun(dir, `${corpus}-fold-${k}`, join(dir, `${corpus}-fold-${k}.json`)))) })),
    ),
  };
}

/** What a run without a result has done so far. */
export function progress(r: RecordedRun, epochs: number): string {
  return r.epochs > 0 ? `in progress (${r.epochs} of ${epochs} epochs)` : 'still to run';
}

const accuracy = (e: Evaluation) => `${formatPercent(e.accuracy)} ${formatInterval(e.accuracyInterval)}`;

function locoSection(runs: CrossCorpusRuns): string[] {
  const corpora = [...runs.joined, runs.foldCorpus];
  const rows = runs.loco.map(({ heldOut, run: r }) => {
    const trainedOn = corpora.filter((c) => c !== heldOut).join(', ');
    const e = r.result?.test;
    if (!r.result || !e) return [heldOut, trainedOn, progress(r, runs.epochs), '', '', '', '', '', ''];
    return [heldOut, trainedOn, e.labels.join(', '), e.clips, `**${accuracy(e)}**`, e.macroF1.toFixed(3), points(e.genderGap), genders(e), run(r.result)];
  });
  return [
    '### Leave one corpus out (tested on every clip of a corpus never heard, over its own emotions)',
    '',
    markdown(['held out (tested on)', 'trained on', 'classes scored', 'clips', 'accuracy [95% interval]', 'macro-F1', 'gender gap (points)', 'by gender', 'best epoch, training time'], rows),
    '',
  ];
}

function foldsSection(title: string, folds: readonly RecordedRun[], epochs: number): string[] {
  const done = completedFolds(folds.map((f) => f.result));
  const out = [`### ${title} (${done.length} of ${folds.length} folds run)`, ''];
  const summary = done.length > 0 ? summariseFoldOutcomes(done) : null;
  if (summary) out.push(foldTable(done, summary), '');
  const pending = folds.flatMap((f, i) => (done.some((d) => d.fold === i + 1) ? [] : [`fold ${i + 1} ${progress(f, epochs)}`]));
  if (pending.length > 0) out.push(`Not yet measured: ${pending.join('; ')}.`, '');
  if (summary) {
    const pooled = summary.pooled;
    out.push(
      `Pooled over the ${pooled.clips} test clips of the ${done.length} fold${done.length > 1 ? 's' : ''} above (each tested once, by the fold that never heard its speaker): accuracy **${accuracy(pooled)}**, macro-F1 ${pooled.macroF1.toFixed(3)}, ${genders(pooled)} (gap ${points(pooled.genderGap)} points).`,
      '',
    );
  }
  return out;
}

export function formatCrossCorpusFigures(runs: CrossCorpusRuns): string {
  const joined = runs.joined.join(', ');
  return [
    ...locoSection(runs),
    ...foldsSection(`${runs.foldCorpus} speaker-independent, ${joined} on the training side`, runs.joinedFolds, runs.epochs),
    ...runs.corpusFolds.flatMap(({ corpus, folds }) => foldsSection(`${corpus} speaker-independent, ${corpus} alone`, folds, runs.epochs)),
  ]
    .join('\n')
    .trimEnd();
}
