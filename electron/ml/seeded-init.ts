/**
 * Draws a model's initial kernels from the run's seed. tfjs draws initial weights from its own
 * generator, seeded from Math.random, so two runs with the same seed would start from different
 * weights; redrawing them here, as the layers' VarianceScaling initialisers specify (the Glorot
 * and He families, tfjs' defaults), makes the starting point repeat exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { createRandom, deriveSeed, type Random } from '../shared/random.ts';

interface VarianceScalingConfig {
  scale: number;
  mode: 'fanIn' | 'fanOut' | 'fanAvg';
  distribution: 'normal' | 'uniform' | 'truncatedNormal';
}

/**
 * Redraws the kernels of the named layers (all layers when omitted) from seed. Kernels whose
 * initialiser is not VarianceScaling are left as tfjs drew them; their names are returned so the
 * caller can say that reproducibility stops there.
 */
export function seedKernels(model: tf.LayersModel, seed: number, layerNames?: readonly string[]): string[] {
  const unseeded: string[] = [];
  for (const layer of model.layers) {
    if (layerNames && !layerNames.includes(layer.name)) continue;
    const config = layer.getConfig() as { kernelInitializer?: { className: string; config: VarianceScalingConfig } };
    for (const weight of layer.weights) {
      if (!weight.originalName.endsWith('/kernel')) continue;
      const init = config.kernelInitializer;
      if (init?.className !== 'VarianceScaling') {
        unseeded.push(weight.originalName);
        continue;
      }
      const values = varianceScaling(weight.shape as number[], init.config, createRandom(deriveSeed(seed, 'init', weight.originalName)));
      const tensor = tf.tensor(values, weight.shape as number[]);
      weight.write(tensor);
      tensor.dispose();
    }
  }
  return unseeded;
}

/** Keras' fans: a dense kernel [in, out]; a convolution kernel [...receptive field, in, out]. */
function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

function varianceScaling(shape: readonly number[], config: VarianceScalingConfig, random: Random): Float32Array {
  const { fanIn, fanOut } = fans(shape);
  const n = Math.max(1, config.mode === 'fanIn' ? fanIn : config.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2);
  const variance = config.scale / n;
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  if (config.distribution === 'uniform') {
    const limit = Math.sqrt(3 * variance);
    for (let i = 0; i < out.length; i++) out[i] = random.uniform(-limit, limit);
    return out;
  }
  // As tfjs does it: a normal of the wanted stddev truncated at two stddevs (no correction for the truncation, unlike tf.keras).
  const stddev = Math.sqrt(variance);
  for (let i = 0; i < out.length; i++) {
    let z: number;
    do z = random.normal();
    while (Math.abs(z) > 2);
    out[i] = z * stddev;
  }
  return out;
}
