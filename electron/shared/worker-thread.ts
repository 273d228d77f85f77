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
