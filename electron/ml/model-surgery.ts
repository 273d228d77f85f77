/**
 * Reshaping a trained network for fine-tuning: a new output layer for another label set, and a
 * split at the pooling layer into a convolutional base and a dense head, so a frozen base runs
 * once per clip and only the head trains.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * The model with its output layer replaced by a fresh one of numClasses units (same configuration
 * and name otherwise). The rest of the network, weights included, moves to the new model: the old
 * output layer is disposed and the input model must not be used again.
 */
export function replaceHead(model: tf.LayersModel, numClasses: number): tf.LayersModel {
  const old = model.layers[model.layers.length - 1];
  const config = { ...(old.getConfig() as Record<string, unknown>), units: numClasses };
  const head = tf.layers.dense(config as unknown as Parameters<typeof tf.layers.dense>[0]);
  const output = head.apply(old.input as tf.SymbolicTensor) as tf.SymbolicTensor;
  const replaced = tf.model({ inputs: model.inputs, outputs: output, name: model.name });
  old.dispose();
  return replaced;
}

export interface BaseAndHead {
  /** Input to the first flat (rank-2) output: the convolutional base and its pooling. */
  base: tf.LayersModel;
  /** The layers after it, on an input of the base's output size; they share weights with the model. */
  head: tf.LayersModel;
  /** Names of the head's layers, which train when the base is frozen. */
  headLayers: string[];
}

/**
 * Splits a model whose layers after the pooling form a chain (each takes the previous one's
 * output), as the SER CNN's dropout-dense-dropout-dense head does. Call before anything else
 * reuses the model's layers.
 */
export function splitAtPooling(model: tf.LayersModel): BaseAndHead {
  const pooling = model.layers.findIndex((l) => (l.output as tf.SymbolicTensor).shape.length === 2);
  if (pooling < 0 || pooling === model.layers.length - 1) throw new Error(`model "${model.name}" has no pooled features followed by a head`);
  const chain = model.layers.slice(pooling + 1);
  chain.forEach((layer, i) => {
    const previous = i === 0 ? model.layers[pooling] : chain[i - 1];
    if (layer.input !== previous.output) throw new Error(`model "${model.name}": layer ${layer.name} does not follow ${previous.name}; the head is not a chain`);
  });
  const features = model.layers[pooling].output as tf.SymbolicTensor;
  const base = tf.model({ inputs: model.inputs, outputs: features, name: `${model.name}_base` });
  const input = tf.input({ shape: features.shape.slice(1) as number[], name: `${model.name}_pooled` });
  const output = chain.reduce((x, layer) => layer.apply(x) as tf.SymbolicTensor, input);
  return { base, head: tf.model({ inputs: input, outputs: output, name: `${model.name}_head` }), headLayers: chain.map((l) => l.name) };
}
