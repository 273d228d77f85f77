import { rm } from 'node:fs/promises';
import { readModelMetadata } from '../../ml/model-store.ts';
import { getModel, renameModel } from '../../store/index.ts';
import { openActiveModel } from '../services/models/active-model.ts';
import { ClassifierWorker } from '../services/classify/classifier-worker.ts';
import type { ApiHandlers } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';
import { ApiError, knownErrorBody } from '../transport/errors.ts';
import { packModel, unpackModel } from '../services/models/model-archive.ts';
import { BUNDLED_ID, checkInputShape, type RegisteredModel } from '../services/models/model-registry.ts';

/**
 * Copies the model into a hidden folder and checks it as the app will use it: metadata, the input
 * its features make, and the network itself loaded in a worker (topology, weights, outputs). Only
 * a model that passes is moved into the registry; anything else leaves nothing behind.
 */
async function importModel(c: ServiceContext, path: string): Promise<RegisteredModel> {
  const source = c.paths.readablePath(path);
  const temp = await c.models.tempFolder();
  try {
    await unpackModel(source, temp);
    const metadata = await readModelMetadata(temp);
    checkInputShape(temp, metadata);
    const probe = new ClassifierWorker({ modelDir: temp, wasmDir: c.wasmDir });
    try {
      await probe.start();
    } finally {
      probe.stop();
    }
    return await c.models.adopt(temp, metadata.name);
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    const known = knownErrorBody(err);
    // The checks name the hidden folder (or the source); the message names the source once, as the user gave it.
    const reason = known?.message.replaceAll(`${temp}: `, '').replaceAll(`${source}: `, '').replaceAll(temp, source);
    throw reason === undefined ? err : new ApiError('invalid_input', `cannot import ${source}: ${reason}`);
  }
}

export function modelHandlers(
  c: ServiceContext,
): Pick<ApiHandlers, 'models.list' | 'models.setActive' | 'models.rename' | 'models.delete' | 'models.import' | 'models.export'> {
  const changed = () => c.events.emit({ type: 'models.changed' });
  return {
    'models.list': async () => (await c.models.all()).map((m) => c.models.entry(m)),
    'models.setActive': async ({ id }) => {
      if (id !== c.model.id) await c.activateModel(id);
      return c.models.entry(await c.models.get(id));
    },
    'models.rename': async ({ id, name }) => {
      const before = await c.models.get(id);
      const after = await c.models.rename(id, name);
      if (!before.bundled) {
        // The store knows a model by name and version: its row follows the new name so its predictions stay with it.
        const stored = getModel(c.db, before.metadata.name, before.metadata.provenance.createdAt);
        if (stored && stored.name !== name) renameModel(c.db, stored.id, name);
      }
      if (c.model.id === id) Object.assign(c.model, openActiveModel(c.db, after));
      changed();
      return c.models.entry(after);
    },
    'models.delete': async ({ id }) => {
      const model = await c.models.get(id);
      if (model.bundled) throw new ApiError('conflict', 'the bundled model comes with the app and cannot be deleted');
      if (c.model.id === id) await c.activateModel(BUNDLED_ID);
      await c.models.remove(id);
      changed();
    },
    'models.import': async ({ path }) => {
      const model = await importModel(c, path);
      changed();
      return c.models.entry(model);
    },
    'models.export': async ({ id, path }) => {
      const model = await c.models.get(id);
      const target = c.paths.writablePath(path, false, '.zip');
      await packModel(model.dir, model.id, target);
      return { path: target };
    },
  };
}
