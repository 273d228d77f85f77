import { Option, type Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { TRAINING_WINDOW_STRATEGIES, DEFAULT_TRAINING_WINDOW, type TrainingWindowStrategy } from '../../audio/training-window.ts';
import { DEFAULT_MIN_CLIPS_PER_LABEL } from '../../ml/datasets/index.ts';
import { runSpeakerProtocol, type SpeakerProtocolResult } from '../../ml/speaker-protocol.ts';
import { DEFAULT_AUGMENT_POLICY } from '../../audio/augment/index.ts';
import { LEARNING_RATE_SCHEDULES, type LearningRateSchedule } from '../../ml/fit.ts';
import { DEFAULT_SPEC_AUGMENT } from '../../ml/spec-augment.ts';
import { DEFAULT_FOLDS, SPLIT_PROTOCOLS, type SplitProtocol } from '../../ml/splits.ts';
import { hasCheckpoint } from '../../ml/checkpoint.ts';
import { checkpointDirOf, TRAINING_DEFAULTS, type TrainingConfig, type TrainingResult } from '../../ml/train.ts';
import { startTraining, type TrainingJob } from '../../ml/training-job.ts';
import { formatEvaluation, formatMeanSdPercent, formatMeanSdPoints } from '../evaluation-report.ts';
import { dataSources, withDataSetOptions, type DataSetFlags } from '../data-sources.ts';
import { formatTable } from '../table.ts';
import { formatDuration, TrainingProgress } from '../training-progress.ts';
import { UsageError, wholeNumber } from '../usage-error.ts';

interface TrainFlags extends DataSetFlags {
  labels?: string[];
  split: SplitProtocol;
  folds: number;
  fold?: number;
  foldCorpus?: string;
  heldOutCorpus?: string;
  foldsOut?: string;
  epochs: number;
  patience: number;
  augment: number;
  seed: number;
  window: TrainingWindowStrategy;
  randomCrop?: boolean;
  specAugment?: boolean;
  lrSchedule: LearningRateSchedule;
  base?: string;
  freezeBase?: boolean;
  minClips: number;
  db?: string;
  cache?: string;
  out: string;
  name?: string;
  resume?: boolean;
  json?: string;
}

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), whose best epoch was still saved. */
const EXIT_INTERRUPTED = 130;

const labelList = (value: string): string[] => {
  const labels = value.split(',').map((l) => l.trim().toLowerCase()).filter(Boolean);
  if (labels.length < 2) throw new UsageError(`--labels needs at least two labels, got "${value}"`);
  return labels;
};

export function registerTrain(program: Command): void {
  const command = program.command('train').description('train (or fine-tune) a model on a labelled data set, test it, and save it with its figures');
  withDataSetOptions(command, 'train on')
    .option('--labels <a,b,c>', 'train on these labels only, in this output order (default: all in the data)', labelList)
    .addOption(new Option('--split <protocol>', 'random: stratified 80/10/10; speaker: k-fold by speaker, then a final model on all speakers').choices(SPLIT_PROTOCOLS).default('random'))
    .option('--folds <k>', 'speaker folds', wholeNumber('--folds', 2), DEFAULT_FOLDS)
    .option('--fold <n>', 'with --split speaker: train only this fold (its model goes to --out)', wholeNumber('--fold', 1))
    .option('--fold-corpus <name>', 'with --split speaker and several --data: folds of this corpus\'s speakers; the other corpora always train, never test')
    .option('--held-out-corpus <name>', 'with several corpora: test on all of this corpus (over its own classes), train on the others (instead of --split)')
    .option('--folds-out <dir>', 'with --split speaker: folder for the fold models (default: OUT-folds)')
    .option('--epochs <n>', 'most epochs', wholeNumber('--epochs', 1), TRAINING_DEFAULTS.epochs)
    .option('--patience <n>', 'stop after this many epochs without a lower validation loss', wholeNumber('--patience', 0), TRAINING_DEFAULTS.patience)
    .option('--augment <n>', 'augmented copies of each training clip (noise, pitch shift, time stretch)', wholeNumber('--augment', 0), TRAINING_DEFAULTS.augment)
    .option('--seed <n>', 'seed of the split, augmentation, shuffling and initial weights', wholeNumber('--seed', 0), 42)
    .addOption(new Option('--window <strategy>', 'which 3 s of each clip to learn from').choices(TRAINING_WINDOW_STRATEGIES).default(DEFAULT_TRAINING_WINDOW))
    .option('--random-crop', 'augmented copies take their window at a random place along the clip (along its speech with --window centre-on-speech)')
    .option('--spec-augment', 'mask random mel bands and frames of every training example in every batch (SpecAugment)')
    .addOption(new Option('--lr-schedule <schedule>', 'constant, or cosine decay to 1/100 over --epochs').choices(LEARNING_RATE_SCHEDULES).default('constant'))
    .option('--base <dir>', 'fine-tune this model (its output layer is replaced when the labels differ)')
    .option('--freeze-base', 'with --base: train only the dense head, keeping the convolutional base')
    .option('--min-clips <n>', 'refuse labels with fewer clips', wholeNumber('--min-clips', 0), DEFAULT_MIN_CLIPS_PER_LABEL)
    .option('--db <file>', 'record the run and register the model in this workspace database')
    .option('--cache <dir>', 'feature cache folder (default: the per-user cache)')
    .requiredOption('--out <dir>', 'model folder to write')
    .option('--name <name>', 'model name (default: the --out folder name)')
    .option('--resume', 'continue an interrupted run from its checkpoint in --out; with --split speaker, runs already completed are not repeated')
    .option('--json <file>', 'also write the results as JSON')
    .action(async (flags: TrainFlags) => {
      if (flags.freezeBase && !flags.base) throw new UsageError('--freeze-base needs --base DIR');
      if (flags.fold !== undefined && (flags.split !== 'speaker' || flags.fold > flags.folds)) {
        throw new UsageError(`--fold needs --split speaker and a fold from 1 to ${flags.folds}`);
      }
      if (flags.foldCorpus && flags.split !== 'speaker') throw new UsageError('--fold-corpus needs --split speaker');
      if (flags.heldOutCorpus && (flags.split !== 'random' || flags.fold !== undefined)) throw new UsageError('--held-out-corpus is a split of its own: give it without --split and --fold');
      const foldCorpus = flags.foldCorpus ? { foldCorpus: flags.foldCorpus } : {};
      const config: Omit<TrainingConfig, 'split'> = {
        data: dataSources(flags.data, flags.labelsCsv, flags.convention, '--labels-csv'),
        ...(flags.labels ? { labels: flags.labels } : {}),
        out: flags.out,
        ...(flags.name ? { name: flags.name } : {}),
        seed: flags.seed,
        epochs: flags.epochs,
        patience: flags.patience,
        augment: flags.augment,
        window: flags.window,
        ...(flags.randomCrop ? { augmentPolicy: { ...DEFAULT_AUGMENT_POLICY, crop: { probability: 1 } } } : {}),
        ...(flags.specAugment ? { specAugment: DEFAULT_SPEC_AUGMENT } : {}),
        ...(flags.lrSchedule !== 'constant' ? { learningRateSchedule: flags.lrSchedule } : {}),
        ...(flags.base ? { base: flags.base, freezeBase: Boolean(flags.freezeBase) } : {}),
        minClipsPerLabel: flags.minClips,
        ...(flags.cache ? { cacheDir: flags.cache } : {}),
        ...(flags.db ? { db: flags.db } : {}),
      };
      const session = new TrainingSession();
      try {
        if (flags.split === 'random' || flags.fold !== undefined) {
          const split = flags.heldOutCorpus
            ? ({ protocol: 'corpus', seed: flags.seed, heldOut: flags.heldOutCorpus } as const)
            : flags.fold === undefined
            ? ({ protocol: 'random', seed: flags.seed } as const)
            : ({ protocol: 'speaker', seed: flags.seed, folds: flags.folds, fold: flags.fold, ...foldCorpus } as const);
          const resume = Boolean(flags.resume) && hasCheckpoint(checkpointDirOf(flags.out));
          if (flags.resume && !resume) session.progress.line(`no checkpoint in ${flags.out}: starting afresh`);
          const result = await session.train({ ...config, split, resume });
          console.log(describeRun(result));
          if (flags.json) await writeJson(flags.json, result);
          if (result.status === 'cancelled') process.exitCode = EXIT_INTERRUPTED;
          return;
        }
        const protocol = await runSpeakerProtocol({
          config: { ...config, resume: Boolean(flags.resume) },
          folds: flags.folds,
          ...foldCorpus,
          foldsOut: flags.foldsOut ?? `${flags.out.replace(/[\\/]+$/, '')}-folds`,
          train: (run) => session.train(run),
          onRun: (run, runConfig) => session.progress.line(run === 'final' ? `\nFinal model on all speakers -> ${runConfig.out}` : `\nFold ${run} of ${flags.folds} -> ${runConfig.out}`),
        });
        console.log(describeProtocol(protocol));
        if (flags.json) await writeJson(flags.json, protocol);
        if (protocol.status === 'cancelled') process.exitCode = EXIT_INTERRUPTED;
      } finally {
        session.close();
      }
    });
}

/** Runs training jobs one after another, with progress on stderr; the first Ctrl-C cancels the current one, keeping its best epoch. */
class TrainingSession {
  readonly progress = new TrainingProgress();
  private job: TrainingJob | null = null;
  private interrupted = false;
  private readonly onSigint = () => {
    if (this.interrupted) process.exit(EXIT_INTERRUPTED);
    this.interrupted = true;
    this.progress.line('cancelling after this batch; the best epoch so far will be saved (Ctrl-C again to quit at once)');
    this.job?.cancel();
  };

  constructor() {
    process.on('SIGINT', this.onSigint);
  }

  async train(config: TrainingConfig): Promise<TrainingResult> {
    this.job = startTraining(config, { onEvent: (event) => this.progress.event(event) });
    if (this.interrupted) this.job.cancel();
    try {
      return await this.job.result;
    } finally {
      this.job = null;
    }
  }

  close(): void {
    process.off('SIGINT', this.onSigint);
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

function describeRun(result: TrainingResult): string {
  if (!result.modelDir) return 'Cancelled before the first epoch finished: no model was saved.';
  const best = result.history[result.bestEpoch - 1];
  const out = [
    '',
    `${result.status === 'cancelled' ? 'Cancelled; saved' : 'Saved'} ${result.modelDir}: epoch ${result.bestEpoch} of ${result.history.length} (${result.stoppedBy}), ` +
      `validation accuracy ${(100 * best.valAccuracy).toFixed(1)}%, ${formatDuration(result.seconds.total)} in all (features ${formatDuration(result.seconds.features)})`,
  ];
  if (result.test) out.push('', formatEvaluation(result.test, `Test (${result.split.description})`));
  return out.join('\n');
}

function describeProtocol(protocol: SpeakerProtocolResult): string {
  const out: string[] = [''];
  const rows = protocol.folds.map((f) => {
    const t = f.result.test;
    return [
      f.fold,
      f.testSpeakers.join(' '),
      `${f.result.bestEpoch}/${f.result.history.length}`,
      t ? `${(100 * t.accuracy).toFixed(1)}%` : '',
      t ? t.macroF1.toFixed(3) : '',
      t?.genderGap == null ? '' : (100 * t.genderGap).toFixed(1),
    ];
  });
  out.push(formatTable([{ title: 'Fold' }, { title: 'Test speakers' }, { title: 'Epoch' }, { title: 'Accuracy', align: 'right' }, { title: 'Macro-F1', align: 'right' }, { title: 'Gender gap', align: 'right' }], rows));
  const s = protocol.summary;
  if (s) {
    out.push(
      '',
      `Speaker-independent (${s.accuracy.n} folds, mean ± sd): accuracy ${formatMeanSdPercent(s.accuracy)}, macro-F1 ${s.macroF1.mean.toFixed(3)} ± ${s.macroF1.sd.toFixed(3)}` +
        (s.genderGap ? `, gender gap ${formatMeanSdPoints(s.genderGap)} points` : ''),
      '',
      formatEvaluation(s.pooled, 'All folds pooled (each clip tested once, by the model that never heard its speaker)'),
    );
  }
  if (protocol.final) out.push('', describeRun(protocol.final).trim());
  else if (protocol.status === 'cancelled') out.push('', 'Cancelled: the remaining folds and the final model were not trained.');
  return out.join('\n');
}
