import * as tf from '@tensorflow/tfjs';
import { inferenceForward } from './inference-graph.ts';

/**
 * Class probabilities for model inputs, each a [nMels][frames] Float32Array as toModelInput makes.
 * Runs in batches of batchSize and frees every tensor it makes. Batch norm is folded into the
 * convolutions (inference-graph.ts), which matches model.predict to float rounding.
 */
export function predictBatch(model: tf.LayersModel, inputs: readonly Float32Array[], batchSize = 32): Float32Array[] {
  const [height, width] = model.inputs[0].shape.slice(1) as number[];
  const size = height * width;
  const forward = inferenceForward(model);
  const out: Float32Array[] = [];
  for (let i = 0; i < inputs.length; i += batchSize) {
    const slice = inputs.slice(i, i + batchSize);
    const flat = new Float32Array(slice.length * size);
    slice.forEach((x, j) => {
      if (x.length !== size) throw new RangeError(`model input ${i + j} has ${x.length} values, the model takes ${height}x${width}`);
      flat.set(x, j * size);
    });
    const probs = tf.tidy(() => forward(tf.tensor4d(flat, [slice.length, height, width, 1])).dataSync() as Float32Array);
    const classes = probs.length / slice.length;
    for (let j = 0; j < slice.length; j++) out.push(probs.slice(j * classes, (j + 1) * classes));
  }
  return out;
}
