/**
 * One training run, from a data set folder to a model folder: prepare the clips (dedup, labels),
 * split them, compute features through the cache (augmented copies for training clips only),
 * build the model (fresh, or fine-tuned from a base model), train with early stopping, evaluate
 * on the test side, and save the model with everything needed to judge and reproduce it.
 *
 * Reproducibility: the same seed gives the same split, augmentations, shuffle order and initial
 * weights (seedKernels). Dropout masks come from tfjs' own generator, which cannot be seeded per
 * call, and multi-threaded kernels may sum in a different order, so two runs agree closely but
 * not to the bit.
 *
 * Runs in the calling thread; startTraining (training-job.ts) runs it in a worker.
 */
import type * as tf from '@tensorflow/tfjs';
import { basename, join } from 'node:path';
import { DEFAULT_AUGMENT_POLICY, type AugmentPolicy, type Augmentation } from '../audio/augment/index.ts';
import { DEFAULT_FEATURES, framesFor, windowSamples, type FeatureSettings } from '../audio/settings.ts';
import { DEFAULT_TRAINING_WINDOW, type TrainingWindowStrategy } from '../audio/training-window.ts';
import { initBackend } from './backend.ts';
import { readCheckpoint, removeCheckpoint, writeCheckpoint } from './checkpoint.ts';
import { describeCalibration } from './calibration.ts';
import { calibrateOnSpeakers, speakerOrClip } from './speaker-calibration.ts';
import { augmentationsFor, clipFeatures } from './clip-features.ts';
import { corpusClasses, corpusTable } from './corpus-classes.ts';
import type { DataSources, DatasetSummary } from './datasets/index.ts';
import { evaluatePredictions, type Evaluation } from './evaluate.ts';
import { predictClips, type ClipPrediction } from './evaluate-model.ts';
import { FeatureCache } from './feature-cache.ts';
import { predictBatch } from './infer.ts';
import { balancedClassWeights, fit, type LearningRateSchedule, type BatchProgress, type EpochProgress, type EpochRecord, type Examples, type FitState, type StopReason } from './fit.ts';
import type { ModelMetadata } from './metadata.ts';
import { buildModel, LEARNING_RATE } from './model.ts';
import { loadModel, saveModel } from './model-store.ts';
import { replaceHead, splitAtPooling } from './model-surgery.ts';
import { RunRecord } from './run-record.ts';
import { seedKernels } from './seeded-init.ts';
import type { SpecAugmentPolicy } from './spec-augment.ts';
import { makeSplit, summariseSplit, type DataSplit, type SplitSpec, type SplitSummary } from './splits.ts';
import { describeLeftOut, prepareTrainingData, type HashedItem } from './training-data.ts';

export interface TrainingConfig {
  /** One folder or CSV, or several corpora whose union is the data set (see corpus-classes.ts for classes some lack). */
  data: DataSources;
  /** Classes in output order; default: the data set's labels. */
  labels?: string[];
  /**
   * The model's classes, in output order, when they are more than the data's: the classes without
   * clips are kept (a fine-tune on a few labels keeps the base's other classes) and masked out of
   * the loss, so they are neither taught nor unlearnt.
   */
  outputLabels?: string[];
  split: SplitSpec;
  /** The model folder to write. */
  out: string;
  /** Default: the out folder's name. */
  name?: string;
  /** Seeds augmentation, shuffling and initial weights (the split has its own seed in its spec). */
  seed: number;
  epochs?: number;
  patience?: number;
  batchSize?: number;
  learningRate?: number;
  /** Augmented copies per training clip (0: none). */
  augment?: number;
  augmentPolicy?: AugmentPolicy;
  /** Default: the base model's, else DEFAULT_FEATURES. */
  features?: FeatureSettings;
  window?: TrainingWindowStrategy;
  /** SpecAugment masks on every training example in every batch; default none. */
  specAugment?: SpecAugmentPolicy;
  /** Default 'constant'. */
  learningRateSchedule?: LearningRateSchedule;
  /** Fine-tune from this model folder; its output layer is replaced when the labels differ. */
  base?: string;
  /** With base: train only the dense head on the base's pooled features. */
  freezeBase?: boolean;
  /** Refuse classes with fewer clips (default 20). */
  minClipsPerLabel?: number;
  /** Feature cache folder; default defaultFeatureCacheDir(). */
  cacheDir?: string;
  /** Record the run (and register the model) in this workspace database. */
  db?: string;
  /** Continue the unfinished run whose checkpoint is in out/checkpoint. */
  resume?: boolean;
  /** tfjs-backend-wasm's .wasm files, where a packaged app keeps them (default: the package's own folder). */
  wasmDir?: string;
}

export const TRAINING_DEFAULTS = Object.freeze({
  epochs: 50,
  patience: 8,
  batchSize: 32,
  learningRate: LEARNING_RATE,
  augment: 0,
});

export type TrainingEvent =
  | { type: 'note'; message: string }
  | { type: 'features'; done: number; total: number }
  | ({ type: 'batch' } & BatchProgress)
  | ({ type: 'epoch' } & EpochProgress);

export interface TrainingResult {
  /** Cancelled runs keep (and save) the best epoch so far, when one finished. */
  status: 'completed' | 'cancelled';
  /** Null when nothing was saved: cancelled before the first epoch finished. */
  modelDir: string | null;
  labels: string[];
  history: EpochRecord[];
  bestEpoch: number;
  stoppedBy: StopReason;
  /** At the best epoch; null when no epoch finished. */
  validation: { loss: number; accuracy: number } | null;
  /** Null when the split has no test side, or nothing was trained. */
  test: Evaluation | null;
  testPredictions: ClipPrediction[];
  split: SplitSummary;
  dataset: DatasetSummary;
  notes: string[];
  seconds: { features: number; training: number; total: number };
  /** The store's training-run id, with config.db. */
  runId: number | null;
}

export interface TrainingHooks {
  onEvent?: (event: TrainingEvent) => void;
  signal?: AbortSignal;
}

export class TrainingError extends Error {
  override readonly name = 'TrainingError';
}

/** Where a run writing the model folder out keeps its checkpoint until it completes. */
export function checkpointDirOf(out: string): string {
  return join(out, 'checkpoint');
}

export async function runTraining(config: TrainingConfig, hooks: TrainingHooks = {}): Promise<TrainingResult> {
  const started = performance.now();
  const notes: string[] = [];
  const note = (message: string) => {
    notes.push(message);
    hooks.onEvent?.({ type: 'note', message });
  };
  const { signal } = hooks;
  const epochs = config.epochs ?? TRAINING_DEFAULTS.epochs;
  const patience = config.patience ?? TRAINING_DEFAULTS.patience;
  const batchSize = config.batchSize ?? TRAINING_DEFAULTS.batchSize;
  const learningRate = config.learningRate ?? TRAINING_DEFAULTS.learningRate;
  const augment = config.augment ?? TRAINING_DEFAULTS.augment;
  const policy = config.augmentPolicy ?? DEFAULT_AUGMENT_POLICY;
  const window = config.window ?? DEFAULT_TRAINING_WINDOW;
  const specAugment = config.specAugment ?? null;
  const learningRateSchedule = config.learningRateSchedule ?? 'constant';
  if (config.freezeBase && !config.base) throw new TrainingError('freezing the base needs a base model to fine-tune');

  note(`backend: ${(await initBackend({ wasmDir: config.wasmDir })).reason}`);
  const data = await prepareTrainingData({ data: config.data, labels: config.labels, minClipsPerLabel: config.minClipsPerLabel });
  describeLeftOut(data).forEach(note);
  const labels = outputLabels(config.outputLabels, data.labels);
  const corpora = corpusTable(data.items, labels);
  if (corpora) note(describeCorpora(corpora.names, corpora.present, labels));
  const split = makeSplit(data.items, config.split);
  checkSplit(split, data.labels);
  // Left out, a corpus is tested over its own classes: its clips could be no others.
  const heldOutClasses = config.split.protocol === 'corpus' ? corpora?.present[corpora.names.indexOf(config.split.heldOut)] : undefined;
  const testLabels = heldOutClasses ? labels.filter((_, c) => heldOutClasses[c]) : labels;
  note(`${split.description}: ${split.train.length} training, ${split.validation.length} validation, ${split.test.length} test clips`);
  if (split.withoutSpeaker > 0) note(`${split.withoutSpeaker} clips name no speaker and are left out of the speaker-independent split`);

  const base = config.base ? await loadModel(config.base) : undefined;
  if (base && config.features && JSON.stringify(config.features) !== JSON.stringify(base.metadata.features)) {
    base.model.dispose();
    throw new TrainingError(`the base model was trained on other feature settings; fine-tuning keeps the base's (${config.base})`);
  }
  const settings = base?.metadata.features ?? config.features ?? { ...DEFAULT_FEATURES };
  const checkpointDir = checkpointDirOf(config.out);
  // The newer levers join the fingerprint only when used, so checkpoints of runs without them still resume.
  const fingerprint = JSON.stringify([config.data, labels, config.split, config.seed, batchSize, learningRate, augment, policy, settings, window, config.base ?? null, Boolean(config.freezeBase), ...(specAugment || learningRateSchedule !== 'constant' ? [specAugment, learningRateSchedule] : [])]);
  const checkpoint = await readCheckpoint(checkpointDir);
  // Until the model to train is chosen, every model loaded so far is freed on the way out.
  const release = () => {
    base?.model.dispose();
    checkpoint?.model.dispose();
  };
  const refuse = (message: string) => {
    release();
    return new TrainingError(message);
  };
  if (checkpoint && !config.resume) throw refuse(`${config.out} holds an unfinished run's checkpoint: resume it, or delete ${checkpointDir} to start again`);
  if (config.resume && !checkpoint) throw refuse(`nothing to resume: ${checkpointDir} holds no checkpoint`);
  if (checkpoint && checkpoint.fingerprint !== fingerprint) {
    throw refuse(`the checkpoint in ${checkpointDir} is of a run with other data or settings; resume with the same ones`);
  }

  const featuresStarted = performance.now();
  const recipe = { settings, window };
  const cache = new FeatureCache(config.cacheDir);
  const sides = [split.train, split.validation, split.test];
  const total = sides.reduce((n, side) => n + side.length, 0);
  let done = 0;
  const load = (items: HashedItem[], copies: (item: HashedItem) => (Augmentation | null)[]) =>
    clipFeatures(items, cache, recipe, copies, { signal, onProgress: () => hooks.onEvent?.({ type: 'features', done: ++done, total }) });
  let features: Float32Array[][][];
  try {
    features = [
      await load(split.train, (item) => [null, ...augmentationsFor(item, augment, policy, config.seed)]),
      await load(split.validation, () => [null]),
      await load(split.test, () => [null]),
    ];
  } catch (err) {
    release();
    if (!signal?.aborted) throw err;
    return emptyResult('cancelled', labels, split, data.summary, notes, started);
  }
  const { hits, misses } = cache.stats;
  note(`features: ${hits + misses} model inputs, ${hits} from the cache (${cache.dir})`);
  const featureSeconds = (performance.now() - featuresStarted) / 1000;

  const index = new Map(labels.map((l, i) => [l, i]));
  const examples = (items: readonly HashedItem[], inputs: Float32Array[][]): Examples => ({
    inputs: inputs.flat(),
    labels: items.flatMap((item, i) => inputs[i].map(() => index.get(item.label)!)),
    ...(corpora ? { corpus: items.flatMap((item, i) => inputs[i].map(() => corpora.of(item))) } : {}),
  });
  const [train, validation] = [examples(split.train, features[0]), examples(split.validation, features[1])];
  const perCorpus = corpora && train.corpus ? corpusClasses(train.labels, train.corpus, corpora.present) : undefined;
  const testInputs = features[2].map((copies) => copies[0]);

  const model = checkpoint?.model ?? newModel(base?.model, base?.metadata.labels, labels, settings, config.seed, note);
  if (base && checkpoint) base.model.dispose();
  const createdAt = new Date().toISOString();
  const name = config.name ?? basename(config.out);
  const metadata: ModelMetadata = {
    format: 'ser-studio-model',
    version: 1,
    name,
    labels,
    features: settings,
    inputShape: [settings.nMels, framesFor(windowSamples(settings), settings), 1],
    trained: true,
    provenance: {
      createdAt,
      data: data.summary.root,
      split: split.description,
      seed: config.seed,
      ...(config.base ? { baseModel: `${base?.metadata.name} (${config.base})` } : {}),
    },
  };

  // A frozen base turns every clip into its pooled features once; only the head trains.
  const frozen = config.freezeBase ? splitAtPooling(model) : null;
  const trained = frozen?.head ?? model;
  const toTrained = (set: Examples): Examples =>
    frozen ? { ...set, inputs: predictBatch(frozen.base, set.inputs, batchSize) } : set;
  if (frozen) note(`base frozen: training only ${frozen.headLayers.join(', ')}`);

  const record = config.db ? RunRecord.start(config.db, labels, name, { ...config, labels }) : null;
  checkpoint?.state.history.forEach((r) => record?.epoch(r));
  const trainingStarted = performance.now();
  try {
    const result = await fit(trained, toTrained(train), toTrained(validation), {
      epochs,
      patience,
      batchSize,
      learningRate,
      classWeights: perCorpus?.length === 1 ? perCorpus[0].classWeights : balancedClassWeights(train.labels, labels.length),
      ...(perCorpus ? { corpora: perCorpus } : {}),
      seed: config.seed,
      ...(specAugment ? { specAugment } : {}),
      learningRateSchedule,
      signal,
      resume: checkpoint?.state,
      onBatch: (progress) => hooks.onEvent?.({ type: 'batch', ...progress }),
      // Reported once its checkpoint is on disk: an epoch shown as done survives a crash.
      onEpoch: async (progress, state: FitState) => {
        await writeCheckpoint(checkpointDir, model, metadata, fingerprint, state);
        record?.epoch(progress);
        hooks.onEvent?.({ type: 'epoch', ...progress });
      },
    });
    const trainingSeconds = (performance.now() - trainingStarted) / 1000;
    const status = result.stoppedBy === 'cancelled' ? 'cancelled' : 'completed';
    if (result.bestEpoch === 0) {
      record?.end('cancelled', 'cancelled before the first epoch finished');
      return emptyResult('cancelled', labels, split, data.summary, notes, started);
    }
    const best = result.history[result.bestEpoch - 1];
    // Fitted on the validation speakers only: the test side then judges the calibration as it judges the model.
    metadata.calibration = calibrateOnSpeakers(predictBatch(model, validation.inputs, batchSize), validation.labels, split.validation.map(speakerOrClip));
    note(describeCalibration(metadata.calibration));
    const testPredictions = split.test.length > 0 ? predictClips(model, labels, split.test, testInputs, metadata.calibration.temperature, heldOutClasses) : [];
    const test = split.test.length > 0 ? evaluatePredictions(testLabels, testPredictions) : null;
    const summary = summariseSplit(split);
    metadata.provenance.epochs = result.history.length;
    metadata.provenance.notes = stopNote(result.stoppedBy, result.bestEpoch, result.history.length, patience);
    metadata.metrics = {
      ...(test ? { test_accuracy: round4(test.accuracy), test_macro_f1: round4(test.macroF1) } : {}),
      validation_accuracy: round4(best.valAccuracy),
      ...(test ? { test } : {}),
      validation: { epoch: result.bestEpoch, loss: best.valLoss, accuracy: best.valAccuracy },
      history: result.history,
      training: { window, specAugment, learningRateSchedule, epochs, patience, batchSize, learningRate, augment, augmentPolicy: augment > 0 ? policy : null, seed: config.seed, freezeBase: Boolean(config.freezeBase), stoppedBy: result.stoppedBy, bestEpoch: result.bestEpoch, seconds: trainingSeconds },
      split: summary,
      dataset: data.summary,
    };
    await saveModel(model, config.out, metadata);
    if (status === 'completed') await removeCheckpoint(checkpointDir);
    else note(`cancelled: saved the best epoch so far (${result.bestEpoch}); the checkpoint in ${checkpointDir} can resume the run`);
    if (record) {
      if (status === 'completed') {
        record.complete({ name, version: createdAt, labels, dir: config.out, provenance: metadata.provenance, metrics: test ? { confusion: test.confusion, accuracy: test.accuracy, macroF1: test.macroF1 } : {} });
      } else record.end('cancelled', `cancelled after epoch ${result.history.length}; best epoch ${result.bestEpoch} saved`);
    }
    return {
      status,
      modelDir: config.out,
      labels,
      history: result.history,
      bestEpoch: result.bestEpoch,
      stoppedBy: result.stoppedBy,
      validation: { loss: best.valLoss, accuracy: best.valAccuracy },
      test,
      testPredictions,
      split: summary,
      dataset: data.summary,
      notes,
      seconds: { features: featureSeconds, training: trainingSeconds, total: (performance.now() - started) / 1000 },
      runId: record?.id ?? null,
    };
  } catch (err) {
    record?.end('failed', err instanceof Error ? err.message : String(err));
    throw err;
  } finally {
    record?.close();
    // The head's layers also serve the frozen head model: dispose it first, so the model's own dispose frees them.
    frozen?.head.dispose();
    model.dispose();
  }
}

/** Every class must be learnt from and watched: a side without it would make the figures meaningless. */
function checkSplit(split: DataSplit, labels: readonly string[]): void {
  for (const [side, items] of [['training', split.train], ['validation', split.validation]] as const) {
    const absent = labels.filter((l) => !items.some((i) => i.label === l));
    if (absent.length > 0) throw new TrainingError(`the ${side} clips of ${split.description} have no ${absent.join(', ')}: too few clips or speakers for this split`);
  }
}

function newModel(
  base: tf.LayersModel | undefined,
  baseLabels: readonly string[] | undefined,
  labels: readonly string[],
  settings: FeatureSettings,
  seed: number,
  note: (message: string) => void,
): tf.LayersModel {
  let model: tf.LayersModel;
  let fresh: string[] | undefined;
  if (!base) {
    model = buildModel({ nMels: settings.nMels, frames: framesFor(windowSamples(settings), settings), numClasses: labels.length });
  } else if (JSON.stringify(baseLabels) === JSON.stringify(labels)) {
    return base;
  } else {
    model = replaceHead(base, labels.length);
    fresh = [model.layers[model.layers.length - 1].name];
    note(`new output layer for ${labels.length} labels (the base model has ${baseLabels?.join(', ')})`);
  }
  const unseeded = seedKernels(model, seed, fresh);
  if (unseeded.length > 0) note(`initial weights of ${unseeded.join(', ')} are not seeded: runs will differ from the start`);
  return model;
}

/** The model's classes: the data's, or outputs that hold them all. */
function outputLabels(outputs: readonly string[] | undefined, dataLabels: readonly string[]): string[] {
  if (!outputs) return [...dataLabels];
  const unknown = dataLabels.filter((l) => !outputs.includes(l));
  if (unknown.length > 0) throw new TrainingError(`the data's ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not among the model's classes (${outputs.join(', ')})`);
  return [...outputs];
}

function describeCorpora(names: readonly string[], present: readonly (readonly boolean[])[], labels: readonly string[]): string {
  if (names.length === 1) {
    const absent = labels.filter((_, c) => !present[0][c]);
    return `no clips of ${absent.join(', ')}: kept as the model's classes and left out of the loss, so they are neither taught nor unlearnt`;
  }
  const lacking = names.flatMap((name, k) => {
    const absent = labels.filter((_, c) => !present[k][c]);
    return absent.length > 0 ? [`${name} has no ${absent.join(', ')}`] : [];
  });
  return (
    `a union of ${names.length} corpora (${names.join(', ')}): class weights per corpus` +
    (lacking.length > 0 ? `; ${lacking.join('; ')}: each clip's loss is taken over its own corpus's classes` : '')
  );
}

function stopNote(stoppedBy: StopReason, bestEpoch: number, ran: number, patience: number): string {
  const why =
    stoppedBy === 'early-stopping'
      ? `early stopping after ${patience} epochs without a lower validation loss`
      : stoppedBy === 'cancelled'
        ? 'cancelled'
        : 'all epochs ran';
  return `${ran} epochs (${why}); weights of epoch ${bestEpoch}, the lowest validation loss`;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

function emptyResult(status: 'cancelled', labels: string[], split: DataSplit, dataset: DatasetSummary, notes: string[], started: number): TrainingResult {
  return {
    status,
    modelDir: null,
    labels,
    history: [],
    bestEpoch: 0,
    stoppedBy: 'cancelled',
    validation: null,
    test: null,
    testPredictions: [],
    split: summariseSplit(split),
    dataset,
    notes,
    seconds: { features: 0, training: 0, total: (performance.now() - started) / 1000 },
    runId: null,
  };
}
