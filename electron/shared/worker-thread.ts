import { Worker } from 'node:worker_threads';

/**
 * A worker running the TypeScript module `entry` (a URL beside the caller's module). Compiled,
 * that is the .js file of the same name. Under tsx (development, tests) the worker needs tsx's
 * loader too, and Node 20 passes neither loader hooks nor --import to workers: a two-line
 * bootstrap registers tsx in the worker, then imports the TypeScript entry.
 */
export function startModuleWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData });
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** `./name.ts` beside `moduleUrl` under tsx, `./name.js` when compiled. */
export function siblingModule(moduleUrl: string, name: string): URL {
  return new URL(`./${name}${moduleUrl.endsWith('.ts') ? '.ts' : '.js'}`, moduleUrl);
}

export interface Settle<R> {
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * The one result of a worker that does one job: `onMessage` settles it with the worker's answer;
 * an error or an early exit rejects it; `abandon` rejects it from outside. Settling ends the
 * worker, because WebAssembly's pthread workers would keep it alive after the job.
 */
export function workerResult<R, M>(worker: Worker, what: string, onMessage: (message: M, settle: Settle<R>) => void): { result: Promise<R>; abandon(error: unknown): void } {
  let abandon: (error: unknown) => void = () => {};
  const result = new Promise<R>((resolve, reject) => {
    let settled = false;
    const once = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      void worker.terminate();
    };
    const settle: Settle<R> = { resolve: (value) => once(() => resolve(value)), reject: (error) => once(() => reject(error)) };
    worker.on('message', (message: M) => onMessage(message, settle));
    worker.on('error', settle.reject);
    worker.on('exit', (code) => settle.reject(new Error(`the ${what} worker stopped (exit code ${code}) before it finished`)));
    abandon = settle.reject;
  });
  return { result, abandon: (error) => abandon(error) };
}
