/**
 * A layers model's forward pass for inference, with every Conv2D → BatchNormalization (→ ReLU)
 * run as one convolution. At inference batch norm is a per-channel affine map, so it folds into
 * the convolution's weights and bias, and XNNPACK applies a following ReLU as it writes the
 * output: two full passes over each block's largest activation disappear (about a quarter of
 * the SER model's inference time on wasm).
 *
 * The folded weights are kept between calls (batch 1 would otherwise refold every block's kernel
 * for each clip) and refolded when any weight they come from has been assigned since (training,
 * setWeights), so the pass always matches the model's current weights. Models that are not a
 * plain chain of layers run through model.predict.
 */
import * as tf from '@tensorflow/tfjs';

type Layer = tf.layers.Layer;
type Step = (x: tf.Tensor) => tf.Tensor;

function config(layer: Layer): Record<string, unknown> {
  return layer.getConfig() as Record<string, unknown>;
}

/** The layers in order when each takes exactly the previous one's output, else null. */
function chain(model: tf.LayersModel): Layer[] | null {
  const [input, ...layers] = model.layers;
  if (input === undefined || input.getClassName() !== 'InputLayer' || model.outputs.length !== 1) return null;
  let previous = input;
  for (const layer of layers) {
    const nodes = layer.inboundNodes;
    if (nodes.length !== 1 || nodes[0].inboundLayers.length !== 1 || nodes[0].inboundLayers[0] !== previous) return null;
    previous = layer;
  }
  return previous.output === model.outputs[0] ? layers : null;
}

function isRelu(layer: Layer | undefined): boolean {
  if (layer === undefined) return false;
  const c = config(layer);
  if (layer.getClassName() === 'ReLU') return c.maxValue == null;
  return layer.getClassName() === 'Activation' && c.activation === 'relu';
}

function foldable(conv: Layer, bn: Layer | undefined): bn is Layer {
  if (conv.getClassName() !== 'Conv2D' || bn?.getClassName() !== 'BatchNormalization') return false;
  const c = config(conv);
  const b = config(bn);
  return c.activation === 'linear' && c.dataFormat === 'channelsLast' && (b.axis === -1 || b.axis === 3) && b.center === true && b.scale === true;
}

/** conv(x)·s + (b − μ)·s + β with s = γ/√(σ²+ε): the folded filter and bias. */
function foldedStep(conv: Layer, bn: Layer, relu: boolean, release: (() => void)[]): Step {
  const c = config(conv);
  const epsilon = config(bn).epsilon as number;
  let folded: { sources: object[]; filter: tf.Tensor4D; bias: tf.Tensor } | undefined;
  const current = (): { filter: tf.Tensor4D; bias: tf.Tensor } => {
    const [kernel, bias] = conv.getWeights();
    const [gamma, beta, movingMean, movingVariance] = bn.getWeights();
    // Assigning a variable gives it a new dataId: an unchanged list of them means unchanged weights.
    const sources = [kernel, bias, gamma, beta, movingMean, movingVariance].filter((w) => w !== undefined).map((w) => w.dataId);
    if (folded?.sources.length === sources.length && folded.sources.every((id, i) => id === sources[i])) return folded;
    const next = tf.tidy(() => {
      const scale = tf.div(gamma, tf.sqrt(tf.add(movingVariance, epsilon)));
      const convBias = c.useBias ? bias : tf.zerosLike(movingMean);
      return { filter: tf.mul(kernel, scale) as tf.Tensor4D, bias: tf.add(tf.mul(tf.sub(convBias, movingMean), scale), beta) };
    });
    if (folded) tf.dispose([folded.filter, folded.bias]);
    folded = { sources, filter: tf.keep(next.filter), bias: tf.keep(next.bias) };
    return folded;
  };
  release.push(() => {
    if (folded) tf.dispose([folded.filter, folded.bias]);
  });
  return (x) => {
    const { filter, bias } = current();
    return tf.fused.conv2d({
      x: x as tf.Tensor4D,
      filter,
      bias,
      strides: c.strides as [number, number],
      pad: c.padding as 'same' | 'valid',
      dilations: c.dilationRate as [number, number],
      activation: relu ? 'relu' : 'linear',
    });
  };
}

function steps(layers: Layer[], release: (() => void)[]): Step[] {
  const out: Step[] = [];
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const bn = layers[i + 1];
    if (foldable(layer, bn)) {
      const relu = isRelu(layers[i + 2]);
      out.push(foldedStep(layer, bn, relu, release));
      i += relu ? 2 : 1;
    } else {
      out.push((x) => layer.apply(x, { training: false }) as tf.Tensor);
    }
  }
  return out;
}

/** Each model's forward pass, planned once. */
const forwards = new WeakMap<tf.LayersModel, (x: tf.Tensor) => tf.Tensor>();
/**
 * Backend memory is not garbage collected: a model's folded weights are freed when the model
 * object is, so evaluating many models (protocol folds) does not pile them up.
 */
const releases = new FinalizationRegistry<(() => void)[]>((release) => release.forEach((free) => free()));

/** The model's output for x in inference mode. Call inside tf.tidy: intermediates are not freed here. */
export function inferenceForward(model: tf.LayersModel): (x: tf.Tensor) => tf.Tensor {
  let forward = forwards.get(model);
  if (forward === undefined) {
    const layers = chain(model);
    const release: (() => void)[] = [];
    const plan = layers === null ? null : steps(layers, release);
    forward = plan === null ? (x) => model.predict(x) as tf.Tensor : (x) => plan.reduce((h, step) => step(h), x);
    forwards.set(model, forward);
    releases.register(model, release);
  }
  return forward;
}
