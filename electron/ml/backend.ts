/**
 * Chooses and initialises the TensorFlow.js backend once per process:
 * native TensorFlow (@tensorflow/tfjs-node, an optional dependency) when it loads, else WebAssembly
 * with SIMD and threads. The pure-JS cpu backend is far too slow for convolutions, so it is used
 * only when asked for by name, never as a silent fallback.
 */
import path from 'node:path';
import os from 'node:os';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from './kernels/index.ts';
// Registered for deserialisation too, so loaded models (e.g. to fine-tune) train fast on wasm.
import './layers/batch-normalization.ts';
import './layers/conv2d.ts';
import { MAX_WASM_THREADS, withNodeWasmThreads } from './wasm-threads.ts';

const require = createRequire(import.meta.url);

export type BackendChoice = 'node' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** tfjs' own backend name. */
  name: 'tensorflow' | 'wasm' | 'cpu';
  /**
   * For people, one short sentence: what runs and, in plain words, why the preferred choice did not
   * ("Native TensorFlow not installed: using WebAssembly (SIMD, 2 threads)"). The status bar and
   * training notes show it as it is, so it never carries an exception's text.
   */
  reason: string;
  /** The underlying errors (module resolution, thread start-up), for whoever asks for details. */
  details?: string;
  simd?: boolean;
  threads?: number;
}

export interface InitBackendOptions {
  /** Backend to try first; SER_BACKEND overrides it and then allows no fallback. */
  prefer?: BackendChoice;
  /**
   * Folder holding tfjs-backend-wasm's .wasm binaries. Defaults to the package's dist folder in
   * node_modules; a packaged Electron app passes its unpacked resources folder instead.
   */
  wasmDir?: string;
  /** WebAssembly threads; default: available cores (max 8). SER_WASM_THREADS overrides; 1 disables. */
  threads?: number;
}

const TFJS_NODE = '@tensorflow/tfjs-node';

let initialised: Promise<BackendInfo> | undefined;

/** Idempotent: later calls return the first call's result, whatever options they pass. */
export function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  initialised ??= chooseBackend(opts).catch((e: unknown) => {
    initialised = undefined; // let a later call retry, e.g. with another preference
    throw e;
  });
  return initialised;
}

function parseChoice(value: string, source: string): BackendChoice {
  if (value === 'node' || value === 'wasm' || value === 'cpu') return value;
  throw new Error(`${source} must be node, wasm or cpu, got '${value}'`);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

async function chooseBackend(opts: InitBackendOptions): Promise<BackendInfo> {
  const forced = process.env.SER_BACKEND ? parseChoice(process.env.SER_BACKEND, 'SER_BACKEND') : undefined;
  const choice = forced ?? opts.prefer ?? 'node';
  if (choice === 'cpu') {
    await activate('cpu');
    const by = forced ? 'SER_BACKEND=cpu' : 'the caller';
    return { name: 'cpu', reason: `Pure-JS cpu backend, requested by ${by} (slow for convolutions)` };
  }
  let skippedNode: { reason: string; details: string } | null = null;
  if (choice === 'node') {
    try {
      return await initNode();
    } catch (e) {
      if (forced) throw new Error(`SER_BACKEND=node but ${TFJS_NODE} failed to load: ${firstLine(e)}`);
      const missing = (e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
      skippedNode = {
        reason: `Native TensorFlow ${missing ? 'not installed' : 'failed to load'}`,
        details: `${TFJS_NODE} ${missing ? 'is not installed' : 'failed to load'} (${firstLine(e)})`,
      };
    }
  }
  const wasm = await initWasm(opts);
  if (!skippedNode) return wasm;
  const details = [skippedNode.details, wasm.details].filter(Boolean).join('; ');
  return { ...wasm, reason: `${skippedNode.reason}: using ${wasm.reason}`, details };
}

async function activate(name: string): Promise<void> {
  // tf.setBackend reports failure by resolving false (after logging the cause).
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

async function initNode(): Promise<BackendInfo> {
  // A variable specifier keeps bundlers and tsc from requiring the optional package.
  const specifier = TFJS_NODE;
  await import(specifier);
  await activate('tensorflow');
  const { version } = require(`${TFJS_NODE}/package.json`) as { version: string };
  return { name: 'tensorflow', reason: `Native TensorFlow (${TFJS_NODE} ${version})` };
}

function defaultWasmDir(): string {
  // The package's main entry sits in dist/ next to the .wasm binaries.
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

function wantedThreads(opts: InitBackendOptions): number {
  const env = process.env.SER_WASM_THREADS;
  const n = env ? Number(env) : (opts.threads ?? os.availableParallelism());
  if (!Number.isInteger(n) || n < 1) throw new Error(`wasm thread count must be a positive integer, got '${env ?? n}'`);
  return Math.min(n, MAX_WASM_THREADS);
}

async function initWasm(opts: InitBackendOptions): Promise<BackendInfo> {
  const dir = opts.wasmDir ?? defaultWasmDir();
  setWasmPaths(dir.endsWith(path.sep) ? dir : dir + path.sep);
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) as boolean;
  const threads = wantedThreads(opts);
  let threadNote = '';
  let details: string | undefined;
  await withoutEmscriptenProcessHandlers(async () => {
    if (!simd) {
      threadNote = ': threads need SIMD';
      await activate('wasm');
    } else if (threads === 1) {
      await activate('wasm');
    } else {
      try {
        await withNodeWasmThreads(threads, () => activate('wasm'));
      } catch (e) {
        threadNote = ': threads unavailable';
        details = `WebAssembly threads failed to start (${firstLine(e)})`;
        await activate('wasm');
      }
    }
  });
  registerWasmTrainingKernels();
  const actual = getThreadsCount();
  const desc = `WebAssembly (${simd ? 'SIMD, ' : ''}${actual} thread${actual === 1 ? '' : 's'}${threadNote})`;
  return { name: 'wasm', reason: desc, ...(details ? { details } : {}), simd, threads: actual };
}

/**
 * Emscripten's glue installs process handlers that rethrow every uncaught exception and rejection
 * from inside its own minified code, so Node reports a 100 kB line of it instead of the error.
 * tfjs removes them only when the backend is disposed; here they go as soon as it is initialised.
 */
async function withoutEmscriptenProcessHandlers(init: () => Promise<void>): Promise<void> {
  const emitter: NodeJS.EventEmitter = process;
  const events = ['uncaughtException', 'unhandledRejection'];
  const before = events.map((event) => new Set(emitter.listeners(event)));
  try {
    await init();
  } finally {
    events.forEach((event, i) => {
      for (const listener of emitter.listeners(event)) {
        if (!before[i].has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    });
  }
}
