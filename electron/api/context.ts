import type { LogMelExtractor } from '../audio/mel.ts';
import type { StoreDb } from '../store/index.ts';
import type { ActiveModel } from './active-model.ts';
import type { ClassifierWorker } from './classifier-worker.ts';
import type { AppInfo } from './contract.ts';
import type { DecodedCache } from './decoded-cache.ts';
import type { ApiEventBus } from './events.ts';
import type { JobRunner } from './jobs.ts';
import type { LibraryPaths } from './paths.ts';

/** What every area's handlers share. */
export interface ServiceContext {
  db: StoreDb;
  paths: LibraryPaths;
  events: ApiEventBus;
  jobs: JobRunner;
  model: ActiveModel;
  classifier: ClassifierWorker;
  decoded: DecodedCache;
  extractor: LogMelExtractor;
  transport: AppInfo['transport'];
  log: (message: string) => void;
}
