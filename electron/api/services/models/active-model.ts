/**
 * The model the API classifies with, and what depends on it: its worker, its feature extractor
 * (spectrograms are drawn with the model's own settings) and the decoded-signal cache at its rate.
 * Changing the active model swaps the whole runtime at once.
 */
import { LogMelExtractor } from '../../../audio/mel.ts';
import type { ModelMetadata } from '../../../ml/metadata.ts';
import { headlineAccuracy } from '../../../ml/training-metadata.ts';
import { ensureModel, type Model, type ModelSpec, type StoreDb } from '../../../store/index.ts';
import { ClassifierWorker } from '../classify/classifier-worker.ts';
import type { ModelSummary } from '../../transport/contract.ts';
import { DecodedCache } from '../recordings/decoded-cache.ts';
import { headlineMetrics, type RegisteredModel } from './model-registry.ts';

export interface ActiveModel {
  /** The registry's id: 'bundled' or a user model's folder name. */
  id: string;
  /** As the user sees it (the bundled model's name may be overridden). */
  name: string;
  dir: string;
  metadata: ModelMetadata;
  /** How predictions name the model in the store (as `ser classify --db` does). */
  spec: ModelSpec;
  stored: Model;
}

export interface ModelRuntime {
  model: ActiveModel;
  classifier: ClassifierWorker;
  decoded: DecodedCache;
  extractor: LogMelExtractor;
}

export function openActiveModel(db: StoreDb, registered: RegisteredModel): ActiveModel {
  const { id, name, dir, metadata } = registered;
  const spec: ModelSpec = { name: metadata.name, version: metadata.provenance.createdAt, labels: metadata.labels, directory: dir };
  return { id, name, dir, metadata, spec, stored: ensureModel(db, spec) };
}

/** The runtime of a model; its worker starts on first use (or when the caller starts it). */
export function openModelRuntime(db: StoreDb, registered: RegisteredModel, wasmDir: string | undefined): ModelRuntime {
  const model = openActiveModel(db, registered);
  return {
    model,
    classifier: new ClassifierWorker({ modelDir: model.dir, wasmDir }),
    decoded: new DecodedCache(model.metadata.features.sampleRate),
    extractor: new LogMelExtractor(model.metadata.features),
  };
}

export function modelSummary(model: ActiveModel): ModelSummary {
  const { metadata, stored } = model;
  return {
    id: String(stored.id),
    name: model.name,
    version: stored.version,
    labels: metadata.labels,
    trained: metadata.trained,
    metrics: headlineMetrics(metadata),
    accuracy: headlineAccuracy(metadata),
  };
}
