/**
 * Batch norm's population statistics recomputed for the weights as they are now ("precise BN",
 * Wu & Johnson 2021), before a model is validated or saved.
 *
 * The moving averages that training keeps mix the statistics of many past versions of the
 * network. With few batches per epoch they lag far behind: on a 36-clip toy set (2 batches an
 * epoch) validation loss rose for ten epochs while training accuracy was already 100%, and at
 * Keras' momentum a RAVDESS model predicted one class for every validation clip after five
 * epochs. Averaging the batch statistics of a few training batches under the current weights
 * removes the lag at the cost of forward passes only.
 */
import * as tf from '@tensorflow/tfjs';
import { stackInputs } from './infer.ts';

/** The private fields of tfjs' BatchNormalization (ours subclasses it) that its training path reads. */
interface BatchNormFields {
  momentum: number;
}

export function batchNormLayers(model: tf.LayersModel): tf.layers.Layer[] {
  return model.layers.filter((layer) => layer.getClassName() === 'BatchNormalization');
}

/**
 * Sets every batch-norm layer's moving mean and variance to the mean of its batch statistics
 * over `batches` (lists of row indices into inputs), computed in training mode under the current
 * weights. Layers ahead of a batch norm normalise with batch statistics as in training, so each
 * layer sees the inputs it saw while training. Only the moving statistics change.
 */
export function recomputeBatchNormStatistics(model: tf.LayersModel, inputs: readonly Float32Array[], batches: readonly (readonly number[])[], shape: readonly number[]): void {
  const layers = batchNormLayers(model) as unknown as BatchNormFields[];
  if (layers.length === 0 || batches.length === 0) return;
  const momenta = layers.map((layer) => layer.momentum);
  try {
    batches.forEach((rows, k) => {
      // The training path updates v ← v − (v − batch value)·(1 − momentum): with 1 − momentum = 1/(k+1)
      // that is the running mean of the batches so far, and the first batch replaces the old value.
      for (const layer of layers) layer.momentum = 1 - 1 / (k + 1);
      tf.tidy(() => {
        model.apply(stackInputs(inputs, rows, shape), { training: true });
      });
    });
  } finally {
    layers.forEach((layer, i) => (layer.momentum = momenta[i]));
  }
}
