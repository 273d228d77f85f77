/**
 * The API's implementation, transport-free: built from a store and a model folder, it gives the
 * handlers (for createDispatcher), the media source (for audio bytes), the event bus, and close().
 */
import { LogMelExtractor } from '../audio/mel.ts';
import type { StoreDb } from '../store/index.ts';
import { openActiveModel } from './active-model.ts';
import { ClassifierWorker } from './classifier-worker.ts';
import type { ServiceContext } from './context.ts';
import type { ApiHandlers, AppInfo } from './contract.ts';
import { DecodedCache } from './decoded-cache.ts';
import { ApiEventBus } from './events.ts';
import { annotationHandlers } from './handlers/annotations.ts';
import { appInfoHandlers } from './handlers/app-info.ts';
import { classifyHandlers } from './handlers/classify.ts';
import { exportHandlers } from './handlers/export.ts';
import { libraryHandlers } from './handlers/library.ts';
import { recordingHandlers } from './handlers/recordings.ts';
import { sessionHandlers } from './handlers/sessions.ts';
import { JobRunner } from './jobs.ts';
import { MediaSource } from './media.ts';
import { LibraryPaths } from './paths.ts';

export interface ServiceOptions {
  db: StoreDb;
  modelDir: string;
  /** Where tfjs-backend-wasm's binaries are (a packaged app's resources); default: node_modules. */
  wasmDir?: string;
  /** Load the model in its worker now rather than on first use, so the first classification and app.info answer sooner. */
  preloadModel?: boolean;
  transport: AppInfo['transport'];
  log?: (message: string) => void;
  /** Minimum time between two progress events of a job (default 100 ms). */
  progressIntervalMs?: number;
}

export interface ApiService {
  handlers: ApiHandlers;
  media: MediaSource;
  events: ApiEventBus;
  paths: LibraryPaths;
  /** Cancels running jobs, waits for them, and stops the model's worker. The store stays open: its owner closes it. */
  close(): Promise<void>;
}

export async function createApiService(options: ServiceOptions): Promise<ApiService> {
  const { db } = options;
  const log = options.log ?? console.error;
  const model = await openActiveModel(db, options.modelDir);
  const events = new ApiEventBus();
  const paths = new LibraryPaths(db);
  const classifier = new ClassifierWorker({ modelDir: model.dir, wasmDir: options.wasmDir });
  if (options.preloadModel) {
    // A failure here is reported again, to the caller that needs the model, by the next start().
    classifier.start().catch((err: Error) => log(`the model could not be loaded: ${err.message}`));
  }
  const jobs = new JobRunner(events, log, options.progressIntervalMs);
  const context: ServiceContext = {
    db,
    paths,
    events,
    jobs,
    model,
    classifier,
    decoded: new DecodedCache(model.metadata.features.sampleRate),
    extractor: new LogMelExtractor(model.metadata.features),
    transport: options.transport,
    log,
  };
  const handlers: ApiHandlers = {
    ...appInfoHandlers(context),
    ...libraryHandlers(context),
    ...recordingHandlers(context),
    ...classifyHandlers(context),
    ...sessionHandlers(context),
    ...annotationHandlers(context),
    ...exportHandlers(context),
  };
  return {
    handlers,
    media: new MediaSource(db, paths),
    events,
    paths,
    close: async () => {
      await jobs.close();
      classifier.stop();
    },
  };
}
