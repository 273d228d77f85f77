/**
 * The models the app knows: the bundled one (read-only, shipped with the app) and the user's, one
 * folder each under <data folder>/models/<id>. A folder appears in the registry only once it is
 * whole: imports are unpacked into a hidden temporary folder, checked, then renamed into place,
 * and a training run's folder stays hidden until the run has saved its model.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { framesFor, windowSamples } from '../../../audio/settings.ts';
import { ModelMetadataSchema, type ModelMetadata } from '../../../ml/metadata.ts';
import { ModelLoadError, readModelMetadata } from '../../../ml/model-store.ts';
import { headlineAccuracy } from '../../../ml/training-metadata.ts';
import type { ModelEntry } from '../../transport/contract.ts';
import { ApiError } from '../../transport/errors.ts';
import { isRunFolder } from '../training/interrupted-runs.ts';
import type { SettingsFile } from '../app/studio-settings.ts';

export const BUNDLED_ID = 'bundled';
/** What a model folder holds; nothing else is copied in or out. */
export const MODEL_FILES = ['model.json', 'weights.bin', 'metadata.json'] as const;
/** Ids are folder names the registry made: lower-case words, so no id can name a path outside the models folder. */
const USER_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;
const TEMP_PREFIX = '.partial-';

export interface RegisteredModel {
  id: string;
  dir: string;
  metadata: ModelMetadata;
  /** The display name: the bundled model's override, else the metadata's. */
  name: string;
  bundled: boolean;
}

/** Headline figures as strings; the nested records (history, confusion) are for the evaluation views. */
export function headlineMetrics(metadata: ModelMetadata): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(metadata.metrics ?? {})) {
    if (typeof value === 'string' || typeof value === 'number') out[name] = String(value);
  }
  return out;
}

/** The model takes what its feature settings make: otherwise every window would be refused at predict time. */
export function checkInputShape(dir: string, metadata: ModelMetadata): void {
  const { features, inputShape } = metadata;
  const expected = [features.nMels, framesFor(windowSamples(features), features), 1];
  if (inputShape.join(',') !== expected.join(',')) {
    throw new ModelLoadError(dir, `its input shape [${inputShape}] does not match its feature settings, which make [${expected}]: the model cannot be used with them`);
  }
}

function slug(name: string): string {
  const words = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return words || 'model';
}

export class ModelRegistry {
  readonly modelsDir: string;
  /** Folders being written (a training run's): hidden until released. */
  private readonly reserved = new Set<string>();

  constructor(
    private readonly bundledDir: string,
    dataDir: string,
    private readonly settings: SettingsFile,
    private readonly log: (message: string) => void,
  ) {
    this.modelsDir = join(dataDir, 'models');
  }

  /** Creates the models folder and removes what an import or a run cut short by a crash left behind. */
  async open(): Promise<void> {
    await mkdir(this.modelsDir, { recursive: true });
    for (const name of await readdir(this.modelsDir)) {
      if (name.startsWith(TEMP_PREFIX)) await rm(join(this.modelsDir, name), { recursive: true, force: true });
    }
  }

  activeId(): string {
    return this.settings.get().activeModel ?? BUNDLED_ID;
  }

  /** The bundled model first, then the user's by creation time. Folders that are not (or no longer) models are skipped and logged. */
  async all(): Promise<RegisteredModel[]> {
    const user: RegisteredModel[] = [];
    for (const entry of await readdir(this.modelsDir, { withFileTypes: true })) {
      // A folder with a run file is a training run's, not (yet) a model: see interrupted-runs.ts.
      if (!entry.isDirectory() || !USER_ID.test(entry.name) || this.reserved.has(entry.name) || isRunFolder(join(this.modelsDir, entry.name))) continue;
      try {
        user.push(await this.read(entry.name));
      } catch (err) {
        this.log(`skipping ${join(this.modelsDir, entry.name)}: ${(err as Error).message}`);
      }
    }
    user.sort((a, b) => a.metadata.provenance.createdAt.localeCompare(b.metadata.provenance.createdAt) || a.id.localeCompare(b.id));
    return [await this.read(BUNDLED_ID), ...user];
  }

  async get(id: string): Promise<RegisteredModel> {
    if (id !== BUNDLED_ID && (!USER_ID.test(id) || this.reserved.has(id) || !existsSync(join(this.modelsDir, id)))) {
      throw new ApiError('not_found', `no model "${id}"`);
    }
    return this.read(id);
  }

  entry(model: RegisteredModel): ModelEntry {
    const provenance: Record<string, string | number> = { folder: model.dir };
    for (const [key, value] of Object.entries(model.metadata.provenance)) {
      if (typeof value === 'string' || typeof value === 'number') provenance[key] = value;
    }
    return {
      id: model.id,
      name: model.name,
      labels: model.metadata.labels,
      trained: model.metadata.trained,
      bundled: model.bundled,
      active: model.id === this.activeId(),
      createdAt: model.metadata.provenance.createdAt,
      provenance,
      metrics: headlineMetrics(model.metadata),
      accuracy: headlineAccuracy(model.metadata),
    };
  }

  async setActive(id: string): Promise<void> {
    await this.settings.update((s) => ({ ...s, activeModel: id }));
  }

  /** The bundled model's folder is the app's own: its new name is kept in the settings; a user model's metadata is rewritten. */
  async rename(id: string, name: string): Promise<RegisteredModel> {
    const model = await this.get(id);
    if (model.bundled) {
      await this.settings.update((s) => ({ ...s, names: { ...s.names, [BUNDLED_ID]: name } }));
    } else {
      const file = join(model.dir, 'metadata.json');
      const metadata = ModelMetadataSchema.parse({ ...model.metadata, name });
      await writeFile(`${file}.tmp`, `${JSON.stringify(metadata, null, 2)}\n`);
      await rename(`${file}.tmp`, file);
    }
    return this.get(id);
  }

  async remove(id: string): Promise<void> {
    const model = await this.get(id);
    if (model.bundled) throw new ApiError('conflict', 'the bundled model comes with the app and cannot be deleted');
    // Renamed away first: the model vanishes from the list at once even if removing its files takes a while or fails half-way.
    const doomed = join(this.modelsDir, `${TEMP_PREFIX}${id}-deleted`);
    await rename(model.dir, doomed);
    await rm(doomed, { recursive: true, force: true });
    if (this.activeId() === id) await this.setActive(BUNDLED_ID);
  }

  /** A new, unused id for a model called `name`, hidden from the list until release(). */
  reserve(name: string): { id: string; dir: string } {
    const base = slug(name);
    let id = base;
    for (let n = 2; this.reserved.has(id) || existsSync(join(this.modelsDir, id)) || id === BUNDLED_ID; n++) id = `${base}-${n}`;
    this.reserved.add(id);
    return { id, dir: join(this.modelsDir, id) };
  }

  release(id: string): void {
    this.reserved.delete(id);
  }

  /** Hides an existing folder (an interrupted run resuming into it) until release(). */
  reserveExisting(id: string): string {
    if (!USER_ID.test(id) || this.reserved.has(id)) throw new ApiError('conflict', `model folder "${id}" is in use`);
    this.reserved.add(id);
    return join(this.modelsDir, id);
  }

  isReserved(id: string): boolean {
    return this.reserved.has(id);
  }

  /** A hidden folder to assemble a model in before adopt() moves it into place. */
  async tempFolder(): Promise<string> {
    const dir = join(this.modelsDir, `${TEMP_PREFIX}${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
    await mkdir(dir);
    return dir;
  }

  /** Moves a whole, checked model folder into the registry under a new id. */
  async adopt(folder: string, name: string): Promise<RegisteredModel> {
    const { id, dir } = this.reserve(name);
    try {
      await rename(folder, dir);
    } finally {
      this.release(id);
    }
    return this.get(id);
  }

  private async read(id: string): Promise<RegisteredModel> {
    const bundled = id === BUNDLED_ID;
    const dir = bundled ? this.bundledDir : join(this.modelsDir, id);
    const metadata = await readModelMetadata(dir);
    checkInputShape(dir, metadata);
    const override = bundled ? this.settings.get().names?.[BUNDLED_ID] : undefined;
    return { id, dir, metadata, name: override ?? metadata.name, bundled };
  }
}

/** The three files of a model folder, read for an archive. */
export async function readModelFiles(dir: string): Promise<Record<(typeof MODEL_FILES)[number], Uint8Array>> {
  const out = {} as Record<(typeof MODEL_FILES)[number], Uint8Array>;
  for (const name of MODEL_FILES) out[name] = await readFile(join(dir, name));
  return out;
}
