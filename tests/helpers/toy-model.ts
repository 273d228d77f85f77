/** A small untrained model on the toy task's features (32x32 inputs), to fine-tune through the API in seconds. */
import { tensor1d, zerosLike } from '@tensorflow/tfjs';
import { initBackend } from '../../electron/ml/backend.ts';
import { untrainedMetadata } from '../../electron/ml/metadata.ts';
import { buildModel } from '../../electron/ml/model.ts';
import { saveModel } from '../../electron/ml/model-store.ts';
import { seedKernels } from '../../electron/ml/seeded-init.ts';
import { TOY_FEATURES } from './toy-data.ts';

/** Writes an untrained model for `labels` with TOY_FEATURES into dir (a model folder). */
export async function writeToyModel(dir: string, name: string, labels: readonly string[]): Promise<string> {
  await initBackend();
  const model = buildModel({ nMels: TOY_FEATURES.nMels, frames: 32, numClasses: labels.length });
  seedKernels(model, 7);
  await saveModel(model, dir, { ...untrainedMetadata(name, labels), features: { ...TOY_FEATURES }, inputShape: [TOY_FEATURES.nMels, 32, 1] });
  model.dispose();
  return dir;
}

/**
 * Writes a model for `labels` with TOY_FEATURES whose every weight is 0 but the output layer's
 * biases: whatever the clip, its probabilities are softmax(biases), a ranking of the labels known in advance.
 */
export async function writeConstantModel(dir: string, name: string, labels: readonly string[], biases: readonly number[]): Promise<string> {
  await initBackend();
  const model = buildModel({ nMels: TOY_FEATURES.nMels, frames: 32, numClasses: labels.length });
  for (const layer of model.layers) layer.setWeights(layer.getWeights().map((w) => zerosLike(w)));
  const output = model.layers.filter((layer) => layer.getWeights().length > 0).at(-1);
  output?.setWeights([output.getWeights()[0], tensor1d([...biases])]);
  await saveModel(model, dir, { ...untrainedMetadata(name, labels), features: { ...TOY_FEATURES }, inputShape: [TOY_FEATURES.nMels, 32, 1] });
  model.dispose();
  return dir;
}
