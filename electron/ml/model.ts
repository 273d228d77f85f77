/**
 * The baseline SER CNN: four Conv–BN–ReLU–MaxPool blocks over a log-mel window, global average
 * pooling and a small dense head. 423,688 parameters for 8 classes on 128×130 inputs.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_FEATURES, framesFor, windowSamples } from '../audio/settings.ts';
import { EMOTIONS } from '../shared/labels.ts';
import { batchNormalization } from './layers/batch-normalization.ts';
import { conv2d } from './layers/conv2d.ts';

export interface ModelShape {
  /** Mel bands (input height). */
  nMels: number;
  /** Frames per window (input width). */
  frames: number;
  /** Output units, one per label. */
  numClasses: number;
}

export const DEFAULT_MODEL_SHAPE: Readonly<ModelShape> = Object.freeze({
  nMels: DEFAULT_FEATURES.nMels,
  frames: framesFor(windowSamples(DEFAULT_FEATURES), DEFAULT_FEATURES),
  numClasses: EMOTIONS.length,
});

/** Filters of the four convolution blocks; the network's width doubles at each pooling step. */
export const BLOCK_FILTERS = [32, 64, 128, 256] as const;

export const LEARNING_RATE = 0.001;

/**
 * Weight of the old value in batch norm's moving statistics (PyTorch's default; Keras' is 0.99).
 * A RAVDESS epoch is only ~50 batches: at 0.99 the moving variance still carried 9% of its
 * initial 1.0 after five epochs, 2-6x the real variance, and validation predicted one class
 * (seen on speaker fold 1) while the same weights in training mode did not.
 */
export const BATCH_NORM_MOMENTUM = 0.9;

export function buildModel(shape: Partial<ModelShape> = {}): tf.LayersModel {
  const { nMels, frames, numClasses } = { ...DEFAULT_MODEL_SHAPE, ...shape };
  const input = tf.input({ shape: [nMels, frames, 1], name: 'log_mel' });
  let x = input as tf.SymbolicTensor;
  BLOCK_FILTERS.forEach((filters, i) => {
    const block = `block${i + 1}`;
    x = conv2d({ filters, kernelSize: 3, padding: 'same', name: `${block}_conv` }).apply(x) as tf.SymbolicTensor;
    x = batchNormalization({ name: `${block}_bn`, momentum: BATCH_NORM_MOMENTUM }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ name: `${block}_relu` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.maxPooling2d({ poolSize: 2, name: `${block}_pool` }).apply(x) as tf.SymbolicTensor;
  });
  x = tf.layers.globalAveragePooling2d({ name: 'global_avg_pool' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.6, name: 'pool_dropout' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 128, activation: 'relu', name: 'hidden_dense' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.4, name: 'hidden_dropout' }).apply(x) as tf.SymbolicTensor;
  const output = tf.layers
    .dense({ units: numClasses, activation: 'softmax', name: 'class_probs' })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: 'ser_cnn' });
}

/** Adam (lr 0.001) on sparse categorical cross-entropy: labels are class indices, not one-hot. */
export function compileModel(model: tf.LayersModel, learningRate = LEARNING_RATE): tf.LayersModel {
  model.compile({
    optimizer: tf.train.adam(learningRate),
    loss: 'sparseCategoricalCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}
