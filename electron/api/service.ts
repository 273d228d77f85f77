/**
 * The API's implementation, transport-free: built from a store, the bundled model's folder and
 * the per-user data folder, it gives the handlers (for createDispatcher), the media source (for
 * audio bytes), the event bus, and close().
 */
import { dirname, join } from 'node:path';
import { defaultFeatureCacheDir } from '../ml/feature-cache.ts';
import type { StoreDb } from '../store/index.ts';
import { openModelRuntime, type ModelRuntime } from './services/models/active-model.ts';
import type { ServiceContext } from './context.ts';
import type { ApiHandlers, AppInfo } from './transport/contract.ts';
import { DatasetRegistry } from './services/datasets/dataset-registry.ts';
import { EvaluationStore } from './services/evaluation/evaluation-store.ts';
import { ApiEventBus } from './transport/events.ts';
import { agreementHandlers } from './handlers/agreement.ts';
import { learningHandlers } from './handlers/learning.ts';
import { annotationFileHandlers } from './handlers/annotation-files.ts';
import { annotationHandlers } from './handlers/annotations.ts';
import { appInfoHandlers } from './handlers/app-info.ts';
import { classifyHandlers } from './handlers/classify.ts';
import { datasetHandlers } from './handlers/datasets.ts';
import { evaluationHandlers } from './handlers/evaluation.ts';
import { exportHandlers } from './handlers/export.ts';
import { labelSetHandlers } from './handlers/label-sets.ts';
import { libraryHandlers } from './handlers/library.ts';
import { liveHandlers } from './handlers/live.ts';
import { modelHandlers } from './handlers/models.ts';
import { recordingHandlers } from './handlers/recordings.ts';
import { sessionHandlers } from './handlers/sessions.ts';
import { trainingHandlers } from './handlers/training.ts';
import { JobRunner } from './services/jobs/jobs.ts';
import { MediaSource } from './services/recordings/media.ts';
import { BUNDLED_ID, ModelRegistry } from './services/models/model-registry.ts';
import { LibraryPaths } from './services/library/paths.ts';
import { SettingsFile } from './services/app/studio-settings.ts';

export interface ServiceOptions {
  db: StoreDb;
  /** The model shipped with the app (the registry's 'bundled' entry). */
  modelDir: string;
  /** User models, evaluations and settings live here; default: the database's folder. */
  dataDir?: string;
  /** Feature cache of training and evaluation; default: the per-user cache the CLI uses too. */
  cacheDir?: string;
  /** Where tfjs-backend-wasm's binaries are (a packaged app's resources); default: node_modules. */
  wasmDir?: string;
  /** Load the model in its worker now rather than on first use, so the first classification and app.info answer sooner. */
  preloadModel?: boolean;
  transport: AppInfo['transport'];
  /** Real folders (allowedRoots) under which a typed path may be added to the library: serve mode's --allow, the home folder in Electron. */
  libraryRoots: readonly string[];
  log?: (message: string) => void;
  /** Minimum time between two progress events of a job (default 100 ms). */
  progressIntervalMs?: number;
  /** Minimum time between two training.state events driven by batches (default 250 ms). */
  trainingStateIntervalMs?: number;
}

export interface ApiService {
  handlers: ApiHandlers;
  media: MediaSource;
  events: ApiEventBus;
  paths: LibraryPaths;
  /** Cancels running jobs, waits for them, and stops the model's worker. The store stays open: its owner closes it. */
  close(): Promise<void>;
}

/** The database's file, or null for a store that has none (in memory). */
function databaseFile(db: StoreDb): string | null {
  return db.memory || db.name === '' ? null : db.name;
}

export async function createApiService(options: ServiceOptions): Promise<ApiService> {
  const { db } = options;
  const log = options.log ?? console.error;
  const dbFile = databaseFile(db);
  const dataDir = options.dataDir ?? (dbFile ? dirname(dbFile) : null);
  if (!dataDir) throw new Error('an in-memory store needs a dataDir for models and evaluations');
  const settings = new SettingsFile(join(dataDir, 'studio-settings.json'), log);
  const models = new ModelRegistry(options.modelDir, dataDir, settings, log);
  await models.open();
  const events = new ApiEventBus();
  const paths = new LibraryPaths(db, options.libraryRoots, settings);
  const datasets = new DatasetRegistry(db, paths, dataDir);
  await datasets.open();

  // The chosen model, unless it is gone or broken: then the bundled one, so the app still starts.
  let runtime: ModelRuntime;
  try {
    runtime = openModelRuntime(db, await models.get(models.activeId()), options.wasmDir);
  } catch (err) {
    if (models.activeId() === BUNDLED_ID) throw err;
    log(`the active model "${models.activeId()}" cannot be used (${(err as Error).message}); using the bundled model`);
    await models.setActive(BUNDLED_ID);
    runtime = openModelRuntime(db, await models.get(BUNDLED_ID), options.wasmDir);
  }
  if (options.preloadModel) {
    // A failure here is reported again, to the caller that needs the model, by the next start().
    runtime.classifier.start().catch((err: Error) => log(`the model could not be loaded: ${err.message}`));
  }
  const activateModel = async (id: string) => {
    const next = openModelRuntime(db, await models.get(id), options.wasmDir);
    try {
      await next.classifier.start();
    } catch (err) {
      next.classifier.stop();
      throw err;
    }
    const previous = runtime;
    runtime = next;
    previous.classifier.stopWhenIdle();
    await models.setActive(id);
    events.emit({ type: 'models.changed' });
  };

  const jobs = new JobRunner(events, log, options.progressIntervalMs);
  const context: ServiceContext = {
    db,
    paths,
    events,
    jobs,
    get model() {
      return runtime.model;
    },
    get classifier() {
      return runtime.classifier;
    },
    get decoded() {
      return runtime.decoded;
    },
    get extractor() {
      return runtime.extractor;
    },
    activateModel,
    models,
    datasets,
    evaluations: new EvaluationStore(dataDir, log),
    dataDir,
    cacheDir: options.cacheDir ?? defaultFeatureCacheDir(),
    wasmDir: options.wasmDir,
    dbFile,
    transport: options.transport,
    log,
  };
  const handlers: ApiHandlers = {
    ...appInfoHandlers(context),
    ...libraryHandlers(context),
    ...recordingHandlers(context),
    ...classifyHandlers(context),
    ...labelSetHandlers(context),
    ...sessionHandlers(context),
    ...annotationHandlers(context),
    ...annotationFileHandlers(context),
    ...agreementHandlers(context),
    ...learningHandlers(context),
    ...exportHandlers(context),
    ...datasetHandlers(context),
    ...trainingHandlers(context, options.trainingStateIntervalMs),
    ...evaluationHandlers(context),
    ...modelHandlers(context),
    ...liveHandlers(context),
  };
  return {
    handlers,
    media: new MediaSource(db, paths, () => context.decoded),
    events,
    paths,
    close: async () => {
      await jobs.close();
      runtime.classifier.stop();
    },
  };
}
