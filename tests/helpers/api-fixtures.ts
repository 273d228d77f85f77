/** An API service over a fresh store and a folder of generated clips, and a recorder of its events. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { ApiEvent, ApiInput, ApiMethod, ApiOutput } from '../../electron/api/transport/contract.ts';
import { createDispatcher, type Dispatch } from '../../electron/api/transport/dispatch.ts';
import { allowedRoots } from '../../electron/api/services/library/paths.ts';
import { createApiService, type ApiService } from '../../electron/api/service.ts';
import { bundledModelDir } from '../../electron/ml/model-location.ts';
import { openStore, type StoreDb } from '../../electron/store/index.ts';
import { tempDir } from './store-fixtures.ts';
import { encodeWav, sine } from './wav-writer.ts';

export const RATE = 22050;

/** Writes a mono 16-bit WAV of a sine (frequency Hz, seconds long, amplitude amp) and returns its path. */
export function writeSine(path: string, frequency: number, seconds: number, amp = 0.5): string {
  writeFileSync(path, encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [sine(frequency, RATE, seconds, amp)] }));
  return path;
}

/** Every event the service emitted, and a way to wait for one. */
export class EventLog {
  readonly events: ApiEvent[] = [];
  private waiters: { match: (e: ApiEvent) => boolean; resolve: (e: ApiEvent) => void }[] = [];

  push = (event: ApiEvent): void => {
    this.events.push(event);
    this.waiters = this.waiters.filter((w) => (w.match(event) ? (w.resolve(event), false) : true));
  };

  /** The first event (already seen or still to come) that matches. */
  next<E extends ApiEvent>(match: (e: ApiEvent) => e is E, timeoutMs = 60_000): Promise<E> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for an event')), timeoutMs);
      this.waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e as E)) });
    });
  }

  /** The event that ends job `jobId`. */
  end(jobId: string, timeoutMs?: number) {
    return this.next((e): e is Extract<ApiEvent, { type: 'job.finished' | 'job.failed' }> => (e.type === 'job.finished' || e.type === 'job.failed') && e.jobId === jobId, timeoutMs);
  }
}

export interface ApiFixture {
  dir: string;
  db: StoreDb;
  service: ApiService;
  dispatch: Dispatch;
  log: EventLog;
  /** Calls a method and returns its result, failing the test with the error's code and message otherwise. */
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
}

/** A service over a new store in a temporary folder, closed after the test file; modelDir may make a model folder in it. */
export async function apiFixture(prefix: string, options: { progressIntervalMs?: number; modelDir?: (dir: string) => string } = {}): Promise<ApiFixture> {
  const { dir, cleanup } = tempDir(prefix);
  const db = openStore(join(dir, 'workspace.sqlite'));
  const logged: string[] = [];
  const modelDir = options.modelDir?.(dir) ?? bundledModelDir();
  // A cache of the test's own: tests never write to the user's feature cache. Recordings are added from the test's folder only.
  const service = await createApiService({ db, modelDir, cacheDir: join(dir, 'cache'), transport: 'serve', libraryRoots: allowedRoots([dir]), log: (m) => logged.push(m), progressIntervalMs: options.progressIntervalMs });
  const dispatch = createDispatcher(service.handlers, (m) => logged.push(m));
  const log = new EventLog();
  service.events.subscribe(log.push);
  afterAll(async () => {
    await service.close();
    db.close();
    cleanup();
  });
  return {
    dir,
    db,
    service,
    dispatch,
    log,
    call: async (method, input) => {
      const reply = await dispatch(method, input);
      if (!reply.ok) throw new Error(`${method} failed: ${reply.error.code}: ${reply.error.message}`);
      return reply.result as ApiOutput<typeof method>;
    },
  };
}

/** A folder of clips, added to the library and imported; resolves once the import job has finished. */
export async function addClips(f: ApiFixture, name: string, clips: { frequency: number; seconds: number; amp?: number }[]): Promise<string> {
  const folder = join(f.dir, name);
  mkdirSync(folder, { recursive: true });
  clips.forEach((c, i) => writeSine(join(folder, `clip-${String(i).padStart(3, '0')}.wav`), c.frequency, c.seconds, c.amp));
  const { jobId } = await f.call('library.add', { path: folder });
  const end = await f.log.end(jobId);
  if (end.type !== 'job.finished') throw new Error(`import failed: ${end.error.message}`);
  return folder;
}
