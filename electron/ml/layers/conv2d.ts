/**
 * tfjs' Conv2D, computing on wasm through an op whose gradient leaves out what no variable needs
 * (the input gradient of a model's first convolution; see kernels/conv2d-bias.ts).
 *
 * Like layers/batch-normalization.ts it keeps the class name 'Conv2D' and the stock config and
 * weights, and registering it replaces the stock class when models are deserialised. Other
 * backends and configurations the op does not cover (channels first, dilation, no bias, a
 * non-linear activation) use the stock code.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBias, conv2DBiasAvailable } from '../kernels/conv2d-bias.ts';

type StockConv2D = ReturnType<typeof tf.layers.conv2d>;
type Conv2DArgs = Parameters<typeof tf.layers.conv2d>[0];
type Kwargs = Parameters<StockConv2D['call']>[1];

/** The stock layer's private state, read here as its own call reads it. */
interface Internals {
  kernel: tf.LayerVariable;
  bias: tf.LayerVariable | null;
  strides: [number, number];
  padding: 'valid' | 'same' | 'causal';
  dataFormat: 'channelsFirst' | 'channelsLast';
  dilationRate: [number, number];
  activation: { getClassName(): string };
}

// Taken from the serialization registry before this module re-registers the name.
const [Stock] = tf.serialization.SerializationMap.getMap().classNameMap.Conv2D as unknown as [new (args: Conv2DArgs) => StockConv2D];

export class Conv2D extends Stock {
  static className = 'Conv2D';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const self = this as unknown as Internals;
    const covered =
      input.rank === 4 &&
      self.bias !== null &&
      self.padding !== 'causal' &&
      self.dataFormat === 'channelsLast' &&
      self.dilationRate.every((d) => d === 1) &&
      self.activation.getClassName() === 'linear';
    if (!covered || !conv2DBiasAvailable()) return super.call(inputs, kwargs);
    return tf.tidy(() =>
      conv2DBias(input as tf.Tensor4D, self.kernel.read() as tf.Tensor4D, (self.bias as tf.LayerVariable).read(), {
        strides: self.strides,
        pad: self.padding as 'valid' | 'same',
      }),
    );
  }
}

// The inherited static fromConfig is typed to build the stock class; it builds `this` class.
tf.serialization.registerClass(Conv2D as unknown as tf.serialization.SerializableConstructor<Conv2D>);

export function conv2d(args: Conv2DArgs): Conv2D {
  return new Conv2D(args);
}
