/** The model the API classifies with: its metadata (read without loading the network) and its row in the store. */
import { resolve } from 'node:path';
import type { ModelMetadata } from '../ml/metadata.ts';
import { readModelMetadata } from '../ml/model-store.ts';
import { ensureModel, type Model, type ModelSpec, type StoreDb } from '../store/index.ts';
import type { ModelSummary } from './contract.ts';

export interface ActiveModel {
  dir: string;
  metadata: ModelMetadata;
  /** How predictions name the model in the store (as `ser classify --db` does). */
  spec: ModelSpec;
  stored: Model;
}

export async function openActiveModel(db: StoreDb, modelDir: string): Promise<ActiveModel> {
  const dir = resolve(modelDir);
  const metadata = await readModelMetadata(dir);
  const spec: ModelSpec = { name: metadata.name, version: metadata.provenance.createdAt, labels: metadata.labels, directory: dir };
  return { dir, metadata, spec, stored: ensureModel(db, spec) };
}

export function modelSummary(model: ActiveModel): ModelSummary {
  const { metadata, stored } = model;
  const metrics: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata.metrics ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') metrics[name] = String(value);
  }
  return { id: String(stored.id), name: metadata.name, version: stored.version, labels: metadata.labels, trained: metadata.trained, metrics };
}
