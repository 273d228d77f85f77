/**
 * The speaker-independent protocol: k models, each tested on the speakers of one fold it never
 * heard (mean ± sd over the folds is the honest headline figure), then the final model trained on
 * every speaker but a few validation speakers, with the folds' figures in its metadata.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hasCheckpoint } from './checkpoint.ts';
import { summariseFolds, type CrossValidationSummary, type Evaluation } from './evaluate.ts';
import { checkpointDirOf, type TrainingConfig, type TrainingResult } from './train.ts';
import { addModelMetrics } from './training-metadata.ts';

export interface SpeakerProtocolOptions {
  /** The final model's folder; split and out of the config are set per run. */
  config: Omit<TrainingConfig, 'split' | 'out'> & { out: string };
  folds: number;
  /** Seed of the speaker folds; default config.seed. */
  splitSeed?: number;
  /** With a union of corpora: fold this corpus's speakers; the other corpora join every fold's training side. */
  foldCorpus?: string;
  /**
   * Where fold k's model goes (foldsOut/fold-k), and each completed run's result (result-k.json,
   * result-final.json). With config.resume, runs with a result are not repeated and runs with a
   * checkpoint continue from it, so an interrupted protocol picks up where it stopped.
   */
  foldsOut: string;
  /** Also train the final model (default true). */
  final?: boolean;
  /** Runs one training run: runTraining in this thread, or a worker's job. */
  train: (config: TrainingConfig) => Promise<TrainingResult>;
  /** Called before each run: fold 1..k, then 'final'. */
  onRun?: (run: number | 'final', config: TrainingConfig) => void;
}

export interface FoldOutcome {
  fold: number;
  testSpeakers: string[];
  result: TrainingResult;
}

export interface SpeakerProtocolResult {
  /** 'cancelled' when a run was cancelled: later runs did not start. */
  status: 'completed' | 'cancelled';
  folds: FoldOutcome[];
  /** Null unless every fold completed. */
  summary: CrossValidationSummary | null;
  final: TrainingResult | null;
}

/** Fold k's outcome, its result at index k − 1, for every fold whose run completed and was tested. */
export function completedFolds(results: readonly (TrainingResult | null)[]): FoldOutcome[] {
  return results.flatMap((result, i) => (result?.status === 'completed' && result.test ? [{ fold: i + 1, testSpeakers: result.split.speakers?.test ?? [], result }] : []));
}

/** Mean ± sd over the folds' test figures, and their test clips pooled. */
export function summariseFoldOutcomes(outcomes: readonly FoldOutcome[]): CrossValidationSummary {
  return summariseFolds(
    outcomes[0].result.labels,
    outcomes.map((o) => ({ evaluation: o.result.test as Evaluation, predictions: o.result.testPredictions })),
  );
}

/** What the final model's metadata.json records of the cross-validation. */
export function crossValidationMetrics(summary: CrossValidationSummary, folds: readonly FoldOutcome[]): Record<string, unknown> {
  const pct = (x: number) => (100 * x).toFixed(1);
  const figures = (e: Evaluation) => ({ accuracy: e.accuracy, macroF1: e.macroF1, genderGap: e.genderGap });
  return {
    speaker_cv_accuracy: `${pct(summary.accuracy.mean)}% ± ${pct(summary.accuracy.sd)} (${summary.accuracy.n} speaker-independent folds)`,
    speaker_cv_macro_f1: `${summary.macroF1.mean.toFixed(3)} ± ${summary.macroF1.sd.toFixed(3)}`,
    crossValidation: {
      folds: folds.map((f) => ({ fold: f.fold, testSpeakers: f.testSpeakers, bestEpoch: f.result.bestEpoch, ...figures(f.result.test as Evaluation) })),
      accuracy: summary.accuracy,
      macroF1: summary.macroF1,
      genderGap: summary.genderGap,
      pooled: summary.pooled,
    },
  };
}

/** Where a protocol keeps a run's result in its folds folder: result-k.json, result-final.json. */
export function protocolResultFile(foldsOut: string, run: number | 'final'): string {
  return join(foldsOut, `result-${run}.json`);
}

/** Fold k's model folder in a protocol's folds folder. */
export function foldModelDir(foldsOut: string, fold: number): string {
  return join(foldsOut, `fold-${fold}`);
}

export async function runSpeakerProtocol(options: SpeakerProtocolOptions): Promise<SpeakerProtocolResult> {
  const { config, folds } = options;
  const splitSeed = options.splitSeed ?? config.seed;
  const runOnce = async (name: number | 'final', run: TrainingConfig): Promise<TrainingResult> => {
    const saved = protocolResultFile(options.foldsOut, name);
    if (config.resume && existsSync(saved)) return JSON.parse(await readFile(saved, 'utf8')) as TrainingResult;
    const resumable = { ...run, resume: Boolean(config.resume) && hasCheckpoint(checkpointDirOf(run.out)) };
    options.onRun?.(name, resumable);
    const result = await options.train(resumable);
    if (result.status === 'completed') await writeFile(saved, `${JSON.stringify(result)}\n`);
    return result;
  };
  const outcomes: FoldOutcome[] = [];
  for (let fold = 1; fold <= folds; fold++) {
    const result = await runOnce(fold, { ...config, out: foldModelDir(options.foldsOut, fold), split: { protocol: 'speaker', seed: splitSeed, folds, fold, ...(options.foldCorpus ? { foldCorpus: options.foldCorpus } : {}) } });
    outcomes.push({ fold, testSpeakers: result.split.speakers?.test ?? [], result });
    if (result.status === 'cancelled') return { status: 'cancelled', folds: outcomes, summary: null, final: null };
  }
  const summary = summariseFoldOutcomes(outcomes);
  if (options.final === false) return { status: 'completed', folds: outcomes, summary, final: null };
  const final = await runOnce('final', { ...config, split: { protocol: 'all-speakers', seed: splitSeed } });
  if (final.modelDir) await addModelMetrics(final.modelDir, crossValidationMetrics(summary, outcomes));
  return { status: final.status, folds: outcomes, summary, final };
}
