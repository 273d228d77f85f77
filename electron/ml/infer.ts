import * as tf from '@tensorflow/tfjs';
import { inferenceForward } from './inference-graph.ts';

/** The shape of one example the model takes, without the batch axis. */
export function inputShape(model: tf.LayersModel): number[] {
  return model.inputs[0].shape.slice(1) as number[];
}

/** The examples at rows as one batch tensor. */
export function stackInputs(inputs: readonly Float32Array[], rows: readonly number[], shape: readonly number[]): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const flat = new Float32Array(rows.length * size);
  rows.forEach((row, j) => {
    if (inputs[row].length !== size) throw new RangeError(`example ${row} has ${inputs[row].length} values, the model takes ${size}`);
    flat.set(inputs[row], j * size);
  });
  return tf.tensor(flat, [rows.length, ...shape]);
}

/**
 * The model's outputs for inputs (for the CNN, each a [nMels][frames] Float32Array as toModelInput
 * makes), in batches of batchSize, freeing every tensor it makes. Batch norm is folded into the
 * convolutions where the model allows (inference-graph.ts), which matches model.predict to float
 * rounding; other models go through model.predict.
 */
export function predictBatch(model: tf.LayersModel, inputs: readonly Float32Array[], batchSize = 32): Float32Array[] {
  const shape = inputShape(model);
  const forward = inferenceForward(model);
  const out: Float32Array[] = [];
  for (let i = 0; i < inputs.length; i += batchSize) {
    const rows = Array.from({ length: Math.min(batchSize, inputs.length - i) }, (_, j) => i + j);
    const values = tf.tidy(() => forward(stackInputs(inputs, rows, shape)).dataSync() as Float32Array);
    const width = values.length / rows.length;
    for (let j = 0; j < rows.length; j++) out.push(values.slice(j * width, (j + 1) * width));
  }
  return out;
}
