/**
 * Classes of the model that no training example has (a fine-tune on a few labels that keeps the
 * base's other classes). Their loss is masked (corpus-classes.ts), so their output weights'
 * gradient is zero in exact arithmetic, but float32 leaves ~1e-9 of rounding, which Adam divides by
 * its own square root into steps of the learning rate's order: the weights would drift at random.
 * Zeroing those gradients exactly keeps the classes as the base model had them.
 */
import * as tf from '@tensorflow/tfjs';

export interface UntaughtClasses {
  /** Variable names of the output layer's kernel and bias. */
  kernel: string;
  bias: string;
  /** 1 for a class some training example has, 0 for an untaught one. */
  keep: tf.Tensor1D;
}

/** The untaught classes of training labels (class indices), or null when every class has examples. */
export function untaughtClasses(model: tf.LayersModel, labels: readonly number[], numClasses: number): UntaughtClasses | null {
  const taught = new Array<number>(numClasses).fill(0);
  for (const y of labels) taught[y] = 1;
  if (taught.every((t) => t === 1)) return null;
  const output = model.layers.filter((layer) => layer.trainableWeights.length > 0).at(-1);
  const [kernel, bias] = output?.trainableWeights.map((w) => (w.read() as tf.Variable).name) ?? [];
  if (!kernel || !bias) throw new Error('the model has no trainable output layer');
  return { kernel, bias, keep: tf.tensor1d(taught) };
}

/** The gradients with the untaught classes' output columns set to zero (the replaced tensors disposed). */
export function withoutUntaught(grads: tf.NamedTensorMap, untaught: UntaughtClasses): tf.NamedTensorMap {
  const out = { ...grads };
  for (const name of [untaught.kernel, untaught.bias]) {
    out[name] = tf.mul(grads[name], untaught.keep);
    grads[name].dispose();
  }
  return out;
}
