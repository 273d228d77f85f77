import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ModelMetadataSchema, type ModelMetadata } from './metadata.ts';

const MODEL_JSON = 'model.json';
const WEIGHTS = 'weights.bin';
const METADATA = 'metadata.json';

/** A model folder that cannot be used; the message names the folder and the reason. */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
  constructor(
    readonly dir: string,
    reason: string,
  ) {
    super(`${dir}: ${reason}`);
  }
}

export interface LoadedModel {
  model: tf.LayersModel;
  metadata: ModelMetadata;
}

/**
 * Saves model.json, weights.bin and metadata.json. Files are written under temporary names and
 * renamed, so an interrupted save never leaves a folder whose weights and topology disagree.
 */
export async function saveModel(model: tf.LayersModel, dir: string, metadata: ModelMetadata): Promise<void> {
  const checked = ModelMetadataSchema.parse(metadata);
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData ? Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData)) : Buffer.alloc(0);
      const modelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        modelTopology: artifacts.modelTopology,
        trainingConfig: artifacts.trainingConfig,
        weightsManifest: [{ paths: [`./${WEIGHTS}`], weights: artifacts.weightSpecs ?? [] }],
      };
      const files: [string, string | Buffer][] = [
        [WEIGHTS, weights],
        [MODEL_JSON, JSON.stringify(modelJson)],
        [METADATA, `${JSON.stringify(checked, null, 2)}\n`],
      ];
      for (const [name, content] of files) await writeFile(join(dir, `${name}.tmp`), content);
      for (const [name] of files) await rename(join(dir, `${name}.tmp`), join(dir, name));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
}

async function readPart(dir: string, name: string): Promise<Buffer> {
  try {
    return await readFile(join(dir, name));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ModelLoadError(dir, code === 'ENOENT' ? `${name} is missing (not a model folder?)` : `cannot read ${name}: ${code}`);
  }
}

function parseJson(dir: string, name: string, text: Buffer): unknown {
  try {
    return JSON.parse(text.toString('utf8'));
  } catch (err) {
    throw new ModelLoadError(dir, `${name} is not valid JSON (${(err as Error).message})`);
  }
}

/** A model folder's metadata.json, validated, without loading the network (for callers that only describe the model). */
export async function readModelMetadata(dir: string): Promise<ModelMetadata> {
  const parsed = ModelMetadataSchema.safeParse(parseJson(dir, METADATA, await readPart(dir, METADATA)));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ModelLoadError(dir, `${METADATA} is invalid: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Loads and validates a model folder: metadata, topology, weights and their agreement. */
export async function loadModel(dir: string): Promise<LoadedModel> {
  // In order, so that with several files missing the error names the same one every time.
  const modelText = await readPart(dir, MODEL_JSON);
  const weights = await readPart(dir, WEIGHTS);
  const metadata = await readModelMetadata(dir);
  const json = parseJson(dir, MODEL_JSON, modelText) as tf.io.ModelJSON;
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ModelLoadError(dir, `${MODEL_JSON} has no model topology or weights manifest`);
  }
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (weights.length !== expected) {
    throw new ModelLoadError(dir, `${WEIGHTS} has ${weights.length} bytes, the manifest needs ${expected}`);
  }
  let model: tf.LayersModel;
  try {
    const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }));
  } catch (err) {
    throw new ModelLoadError(dir, `the model cannot be built: ${(err as Error).message.split('\n')[0]}`);
  }
  const units = model.outputs[0].shape[model.outputs[0].shape.length - 1];
  if (units !== metadata.labels.length) {
    model.dispose();
    throw new ModelLoadError(dir, `the model has ${units} outputs but ${METADATA} lists ${metadata.labels.length} labels`);
  }
  const inputShape = model.inputs[0].shape.slice(1);
  if (inputShape.join(',') !== metadata.inputShape.join(',')) {
    model.dispose();
    throw new ModelLoadError(dir, `the model takes [${inputShape}] but ${METADATA} says [${metadata.inputShape}]`);
  }
  return { model, metadata };
}

