import type { LogMelExtractor } from '../audio/mel.ts';
import type { StoreDb } from '../store/index.ts';
import type { ActiveModel } from './services/models/active-model.ts';
import type { ClassifierWorker } from './services/classify/classifier-worker.ts';
import type { AppInfo } from './transport/contract.ts';
import type { DatasetRegistry } from './services/datasets/dataset-registry.ts';
import type { DecodedCache } from './services/recordings/decoded-cache.ts';
import type { EvaluationStore } from './services/evaluation/evaluation-store.ts';
import type { ApiEventBus } from './transport/events.ts';
import type { JobRunner } from './services/jobs/jobs.ts';
import type { ModelRegistry } from './services/models/model-registry.ts';
import type { LibraryPaths } from './services/library/paths.ts';

/** What every area's handlers share. */
export interface ServiceContext {
  db: StoreDb;
  paths: LibraryPaths;
  events: ApiEventBus;
  jobs: JobRunner;
  /** The active model and what depends on it; they change together when another model is made active. */
  readonly model: ActiveModel;
  readonly classifier: ClassifierWorker;
  readonly decoded: DecodedCache;
  readonly extractor: LogMelExtractor;
  /** Loads the model in a worker of its own and, once it is ready, makes it the one the app classifies with. */
  activateModel(id: string): Promise<void>;
  models: ModelRegistry;
  datasets: DatasetRegistry;
  evaluations: EvaluationStore;
  /** The per-user data folder: the database's, user models, evaluations. */
  dataDir: string;
  /** Feature cache of training and evaluation runs (shared with the CLI). */
  cacheDir: string;
  wasmDir: string | undefined;
  /** The database file training runs record themselves in; null for an in-memory store. */
  dbFile: string | null;
  transport: AppInfo['transport'];
  log: (message: string) => void;
}
