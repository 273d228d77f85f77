/**
 * The training loop: Adam on class-weighted sparse categorical cross-entropy, one batch at a time,
 * with early stopping on validation loss and the best epoch's weights restored at the end.
 *
 * A custom loop rather than model.fit: fit wants the whole epoch as one tensor (hundreds of MB in
 * the wasm heap for an augmented data set) and has no class weights for trainOnBatch. Here only
 * one batch is ever a tensor, every tensor made is disposed, and the tensor count stays flat
 * across epochs.
 */
import * as tf from '@tensorflow/tfjs';
import { recomputeBatchNormStatistics } from './batch-norm-statistics.ts';
import { inputShape, predictBatch, stackInputs } from './infer.ts';
import { createRandom, deriveSeed, shuffled } from '../shared/random.ts';
import { crossEntropy, logLoss, type CorpusClasses } from './corpus-classes.ts';
import { specAugment, type SpecAugmentPolicy } from './spec-augment.ts';
import { untaughtClasses, withoutUntaught, type UntaughtClasses } from './untaught-classes.ts';

/** Examples as the model's input takes them (each the size of one input), with class indices. */
export interface Examples {
  inputs: readonly Float32Array[];
  labels: readonly number[];
  /** Each example's corpus, an index into FitOptions.corpora (a union of corpora); absent: one corpus. */
  corpus?: readonly number[];
}

export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  /** Mean class-weighted training loss over the epoch's batches (as Keras reports it). */
  loss: number;
  accuracy: number;
  /** Unweighted, as Keras computes validation loss even with class weights. */
  valLoss: number;
  valAccuracy: number;
  seconds: number;
}

export interface BatchProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Running means over the epoch so far. */
  loss: number;
  accuracy: number;
  /** Seconds left if every remaining epoch runs (early stopping can only make it shorter). */
  etaSec: number;
}

export interface EpochProgress extends EpochRecord {
  epochs: number;
  /** The epoch improved validation loss: its weights are the best so far. */
  improved: boolean;
  bestEpoch: number;
  etaSec: number;
}

/** One of the optimiser's own values (Adam's step count, a moment of a weight), as plain numbers. */
export interface OptimizerValue {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** What a run needs to continue after an interruption: its history, the best weights so far and the optimiser's state. */
export interface FitState {
  history: EpochRecord[];
  bestEpoch: number;
  /** Every model weight (getWeights order) at the best epoch. */
  bestWeights: Float32Array[];
  /**
   * Adam's step count and moments at the end of the last epoch, so a resumed run takes the steps the
   * uninterrupted one would have; absent (a fresh Adam, whose first steps are larger) when unknown.
   */
  optimizer?: OptimizerValue[];
}

export type StopReason = 'epochs' | 'early-stopping' | 'cancelled';

export type LearningRateSchedule = 'constant' | 'cosine';
export const LEARNING_RATE_SCHEDULES: readonly LearningRateSchedule[] = ['constant', 'cosine'];

/** The learning rate of 1-based epoch of epochs under schedule. */
export function scheduledLearningRate(schedule: LearningRateSchedule, learningRate: number, epoch: number, epochs: number): number {
  if (schedule === 'constant' || epochs <= 1) return learningRate;
  const floor = learningRate / 100;
  return floor + ((learningRate - floor) * (1 + Math.cos((Math.PI * (epoch - 1)) / (epochs - 1)))) / 2;
}

export interface FitOptions {
  epochs: number;
  /** Epochs without a lower validation loss before stopping. */
  patience: number;
  batchSize: number;
  learningRate: number;
  /** One per class; multiplies each example's loss (an example with a corpus: its corpus's weights instead). */
  classWeights: readonly number[];
  /** The classes and class weights of each corpus the examples' corpus indexes name (see corpus-classes.ts). */
  corpora?: readonly CorpusClasses[];
  /** Shuffle order: epoch e's order comes from (seed, e), so a resumed run repeats it. */
  seed: number;
  /** Masks every training example afresh in each batch (its draws also come from seed and the epoch). */
  specAugment?: SpecAugmentPolicy;
  /** 'cosine': the learning rate falls from learningRate to a hundredth of it along a half cosine over the epochs. Default 'constant'. */
  learningRateSchedule?: LearningRateSchedule;
  signal?: AbortSignal;
  /** Continue from this state; the model must hold the weights at the end of its last epoch. */
  resume?: FitState;
  onBatch?: (progress: BatchProgress) => void;
  /** Called after each epoch with the state to continue from, e.g. to write a checkpoint. */
  onEpoch?: (progress: EpochProgress, state: FitState) => void | Promise<void>;
}

export interface FitResult {
  history: EpochRecord[];
  /** 0 when no epoch finished (cancelled during the first). */
  bestEpoch: number;
  stoppedBy: StopReason;
}

/** Training batches whose statistics batch norm uses after each epoch (see batch-norm-statistics.ts). */
export const BATCH_NORM_STATISTICS_BATCHES = 8;

/** sklearn's compute_class_weight('balanced'): n / (classes × count); every class must occur. */
export function balancedClassWeights(labels: readonly number[], numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const y of labels) counts[y]++;
  const missing = counts.findIndex((c) => c === 0);
  if (missing >= 0) throw new RangeError(`class ${missing} has no training examples: class weights are undefined`);
  return counts.map((c) => labels.length / (numClasses * c));
}

/**
 * Trains model in place. On return the model holds the best epoch's weights (when an epoch
 * finished); a cancel through signal stops before the next batch and keeps the best so far.
 */
export async function fit(model: tf.LayersModel, train: Examples, validation: Examples, options: FitOptions): Promise<FitResult> {
  if (validation.inputs.length === 0) throw new RangeError('early stopping needs validation examples');
  const { epochs, patience, batchSize, classWeights, signal, specAugment: specAugmentPolicy } = options;
  const numClasses = classWeights.length;
  const shape = inputShape(model);
  const optimizer = tf.train.adam(options.learningRate);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const untaught = untaughtClasses(model, train.labels, numClasses);
  if (options.resume?.optimizer) await restoreOptimizer(optimizer, options.resume.optimizer);
  const history = [...(options.resume?.history ?? [])];
  let bestEpoch = options.resume?.bestEpoch ?? 0;
  let bestWeights = options.resume?.bestWeights ?? [];
  const bestLoss = () => (bestEpoch > 0 ? history[bestEpoch - 1].valLoss : Infinity);
  const batches = Math.ceil(train.inputs.length / batchSize);
  let secondsPerBatch = 0;
  let stoppedBy: StopReason = 'epochs';
  try {
    for (let epoch = history.length + 1; epoch <= epochs; epoch++) {
      if (bestEpoch > 0 && epoch - 1 - bestEpoch >= patience) {
        stoppedBy = 'early-stopping';
        break;
      }
      const started = performance.now();
      // Adam reads its learning rate at every step; tfjs keeps the field protected but has no setter.
      (optimizer as unknown as { learningRate: number }).learningRate = scheduledLearningRate(options.learningRateSchedule ?? 'constant', options.learningRate, epoch, epochs);
      const masks = specAugmentPolicy && createRandom(deriveSeed(options.seed, 'spec-augment', epoch));
      const order = shuffled(
        train.inputs.map((_, i) => i),
        createRandom(deriveSeed(options.seed, 'epoch', epoch)),
      );
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        if (signal?.aborted) {
          stoppedBy = 'cancelled';
          break;
        }
        const t0 = performance.now();
        const rows = order.slice(b * batchSize, (b + 1) * batchSize);
        const masked = specAugmentPolicy && masks ? rows.map((r) => specAugment(train.inputs[r], shape[0], shape[1], specAugmentPolicy, masks)) : null;
        const x = masked ? stackInputs(masked, masked.map((_, j) => j), shape) : stackInputs(train.inputs, rows, shape);
        const step = trainStep(model, optimizer, variables, x, rows, train, classWeights, numClasses, options.corpora, untaught);
        lossSum += step.loss * rows.length;
        correct += step.correct;
        seen += rows.length;
        const t = (performance.now() - t0) / 1000;
        secondsPerBatch = secondsPerBatch === 0 ? t : 0.9 * secondsPerBatch + 0.1 * t;
        options.onBatch?.({
          epoch,
          epochs,
          batch: b + 1,
          batches,
          loss: lossSum / seen,
          accuracy: correct / seen,
          etaSec: secondsPerBatch * (batches - b - 1 + (epochs - epoch) * batches),
        });
        // Let a cancel message (or a progress write) through between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (stoppedBy === 'cancelled') break;
      const statisticsBatches = Array.from({ length: Math.min(batches, BATCH_NORM_STATISTICS_BATCHES) }, (_, b) => order.slice(b * batchSize, (b + 1) * batchSize));
      recomputeBatchNormStatistics(model, train.inputs, statisticsBatches, shape);
      const val = validationLoss(model, validation, numClasses, batchSize, options.corpora);
      const record: EpochRecord = {
        epoch,
        loss: lossSum / seen,
        accuracy: correct / seen,
        valLoss: val.loss,
        valAccuracy: val.accuracy,
        seconds: (performance.now() - started) / 1000,
      };
      history.push(record);
      const improved = record.valLoss < bestLoss();
      if (improved) {
        bestEpoch = epoch;
        bestWeights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
      }
      const state: FitState = { history: [...history], bestEpoch, bestWeights, optimizer: await snapshotOptimizer(optimizer) };
      await options.onEpoch?.({ ...record, epochs, improved, bestEpoch, etaSec: record.seconds * (epochs - epoch) }, state);
    }
    if (signal?.aborted) stoppedBy = 'cancelled';
    if (bestEpoch > 0) setWeights(model, bestWeights);
    return { history, bestEpoch, stoppedBy };
  } finally {
    optimizer.dispose();
    untaught?.keep.dispose();
  }
}

async function snapshotOptimizer(optimizer: tf.Optimizer): Promise<OptimizerValue[]> {
  const named = await optimizer.getWeights();
  const values = await Promise.all(named.map(async ({ name, tensor }) => ({ name, shape: tensor.shape, values: Float32Array.from(await tensor.data()) })));
  // The moments are the optimiser's own variables; the step count is a scalar made for the occasion.
  for (const { tensor } of named) if (!(tensor instanceof tf.Variable)) tensor.dispose();
  return values;
}

async function restoreOptimizer(optimizer: tf.Optimizer, saved: readonly OptimizerValue[]): Promise<void> {
  const named = saved.map(({ name, shape, values }) => ({ name, tensor: tf.tensor(values, shape) }));
  try {
    await optimizer.setWeights(named);
  } finally {
    // setWeights copies the moments into variables of its own.
    tf.dispose(named.map((n) => n.tensor));
  }
}

/** One Adam step on the batch; returns its weighted mean loss and how many it classified right. */
function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  x: tf.Tensor,
  rows: readonly number[],
  { labels, corpus }: Examples,
  classWeights: readonly number[],
  numClasses: number,
  corpora: FitOptions['corpora'],
  untaught: UntaughtClasses | null,
): { loss: number; correct: number } {
  const corpusOf = (r: number) => (corpus && corpora ? corpora[corpus[r]] : undefined);
  const y = tf.tensor1d(rows.map((r) => labels[r]), 'int32');
  const weights = tf.tensor1d(rows.map((r) => (corpusOf(r)?.classWeights ?? classWeights)[labels[r]]));
  const present = corpus && corpora ? tf.tensor2d(rows.map((r) => corpora[corpus[r]].present.map(Number))) : undefined;
  let predicted: tf.Tensor | undefined;
  try {
    const batchLoss = () => {
      const probs = model.apply(x, { training: true }) as tf.Tensor;
      predicted = tf.keep(tf.argMax(probs, -1));
      return tf.mean(tf.mul(crossEntropy(probs, y, numClasses, present), weights)) as tf.Scalar;
    };
    const cost = untaught ? untaughtStep(optimizer, batchLoss, variables, untaught) : (optimizer.minimize(batchLoss, true, variables) as tf.Scalar);
    const loss = cost.dataSync()[0];
    cost.dispose();
    const guesses = (predicted as tf.Tensor).dataSync();
    const correct = rows.filter((r, j) => guesses[j] === labels[r]).length;
    return { loss, correct };
  } finally {
    predicted?.dispose();
    tf.dispose([x, y, weights, ...(present ? [present] : [])]);
  }
}

/** optimizer.minimize, with the untaught classes' output gradients zeroed before Adam sees them. */
function untaughtStep(optimizer: tf.Optimizer, f: () => tf.Scalar, variables: tf.Variable[], untaught: UntaughtClasses): tf.Scalar {
  const { value, grads } = optimizer.computeGradients(f, variables);
  const masked = withoutUntaught(grads, untaught);
  optimizer.applyGradients(masked);
  tf.dispose(Object.values(masked));
  return value;
}

/** Index of the largest value (the first of equals). */
export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

/**
 * Loss as training takes it (over each example's corpus's classes), so early stopping watches what
 * is optimised; accuracy over every class, as the model will be used.
 */
function validationLoss(model: tf.LayersModel, validation: Examples, numClasses: number, batchSize: number, corpora: FitOptions['corpora']): { loss: number; accuracy: number } {
  const probs = predictBatch(model, validation.inputs, batchSize);
  let loss = 0;
  let correct = 0;
  probs.forEach((p, i) => {
    const y = validation.labels[i];
    if (p.length !== numClasses) throw new RangeError(`the model has ${p.length} outputs, the data ${numClasses} classes`);
    loss += logLoss(p, y, validation.corpus && corpora ? corpora[validation.corpus[i]].present : undefined);
    if (argMax(p) === y) correct++;
  });
  return { loss: loss / probs.length, accuracy: correct / probs.length };
}

/** Sets every model weight (getWeights order) from plain arrays. */
export function setWeights(model: tf.LayersModel, values: readonly Float32Array[]): void {
  const current = model.getWeights();
  if (values.length !== current.length) throw new RangeError(`the model has ${current.length} weights, got ${values.length}`);
  const tensors = values.map((v, i) => tf.tensor(v, current[i].shape));
  model.setWeights(tensors);
  tf.dispose(tensors);
}
