import * as tf from '@tensorflow/tfjs';

export interface StepResult {
  /** Mean loss over the batch, before this step's update. */
  loss: number;
  accuracy: number;
}

/**
 * One optimiser step of a model compiled by compileModel on a batch x [B, nMels, frames, 1]
 * with integer class labels. The label tensor is made and freed here.
 */
export async function trainOnBatch(model: tf.LayersModel, x: tf.Tensor4D, labels: ArrayLike<number>): Promise<StepResult> {
  if (labels.length !== x.shape[0]) throw new RangeError(`${labels.length} labels for a batch of ${x.shape[0]}`);
  const y = tf.tensor1d(Array.from(labels), 'float32');
  try {
    const [loss, accuracy] = (await model.trainOnBatch(x, y)) as number[];
    return { loss, accuracy };
  } finally {
    y.dispose();
  }
}
