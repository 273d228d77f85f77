/**
 * tfjs' BatchNormalization with a fast training path on wasm (see kernels/batch-norm-training.ts).
 *
 * It keeps the class name 'BatchNormalization' and the stock config and weights, so saved models
 * are ordinary tfjs/Keras models; registering it replaces the stock class when models are
 * deserialised, so loaded models train fast too. Inference, other backends and configurations the
 * fused op does not cover (normalising a non-last axis, no centre/scale) use the stock code.
 */
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining, batchNormTrainingAvailable } from '../kernels/batch-norm-training.ts';

type StockBatchNormalization = ReturnType<typeof tf.layers.batchNormalization>;
type BatchNormalizationArgs = Parameters<typeof tf.layers.batchNormalization>[0];
type Kwargs = Parameters<StockBatchNormalization['call']>[1];

/** The stock layer's private state, which the training path reads and updates as the stock one does. */
interface Internals {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

// Taken from the serialization registry before this module re-registers the name.
const [Stock] = tf.serialization.SerializationMap.getMap().classNameMap.BatchNormalization as unknown as [
  new (args?: BatchNormalizationArgs) => StockBatchNormalization,
];

export class BatchNormalization extends Stock {
  static className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const self = this as unknown as Internals;
    const lastAxis = self.axis === -1 || self.axis === input.rank - 1;
    if (kwargs.training !== true || !lastAxis || !self.center || !self.scale || !batchNormTrainingAvailable()) {
      return super.call(inputs, kwargs);
    }
    return tf.tidy(() => {
      const [normed, mean, variance] = batchNormTraining(input, self.gamma.read(), self.beta.read(), self.epsilon);
      // Moving statistics exactly as tfjs-layers updates them: v ← v − (v − batch value)·(1 − momentum).
      const track = (variable: tf.LayerVariable, value: tf.Tensor) =>
        tf.tidy(() => {
          const current = variable.read();
          variable.write(tf.sub(current, tf.mul(tf.sub(current, value), 1 - self.momentum)));
        });
      track(self.movingMean, mean);
      track(self.movingVariance, variance);
      return normed;
    });
  }
}

// The inherited static fromConfig is typed to build the stock class; it builds `this` class.
tf.serialization.registerClass(BatchNormalization as unknown as tf.serialization.SerializableConstructor<BatchNormalization>);

export function batchNormalization(args?: BatchNormalizationArgs): BatchNormalization {
  return new BatchNormalization(args);
}
