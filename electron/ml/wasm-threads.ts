/**
 * Multi-threaded tfjs-backend-wasm under Node/Electron's main process.
 *
 * tfjs-backend-wasm 4.22 turns threads off whenever it runs in Node (tfjs issue #3830), although
 * its Emscripten build supports Node's worker_threads. Three things stand in the way, and each is
 * bridged here only for the duration of backend initialisation:
 *  1. the WASM_HAS_MULTITHREAD_SUPPORT flag answers false in Node: we set it true;
 *  2. the pthread worker script is handed to `new Worker()` as a blob: URL, which Node's Worker
 *     cannot load, and the worker then imports the Emscripten glue from a Blob, which its
 *     fs-based importScripts cannot read: we write both scripts to a temp folder and point the
 *     worker at real files;
 *  3. the C++ side caps its thread pool at half of `os.cpus().length` (assuming hyper-threading),
 *     i.e. one thread on a 2-core machine: we report twice the wanted thread count while it reads it.
 * The pthread pool (8 workers) is created and loaded during initialisation, so the temp files can
 * go once it completes. Emscripten keeps a worker that runs a thread ref'd, and XNNPACK's pool
 * threads run for the life of the process, so they are unref'd: else Node would never exit.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, type BackendWasm } from '@tensorflow/tfjs-backend-wasm';

const require = createRequire(import.meta.url);

/** Workers the Emscripten build pre-creates; more would need a blob: URL we no longer redirect. */
export const MAX_WASM_THREADS = 8;

/** Why threads cannot work in this process, or null when they can. */
function wasmThreadsUnavailableReason(): string | null {
  if (typeof process === 'undefined' || !process.versions?.node) return 'not running under Node';
  if (typeof SharedArrayBuffer === 'undefined') return 'SharedArrayBuffer is not available';
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (e) {
    return `shared WebAssembly memory is not supported (${(e as Error).message})`;
  }
  return null;
}

function writeThreadScripts(dir: string): string {
  const glue = require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js');
  const mainScript = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  fs.copyFileSync(glue, mainScript);
  const { wasmWorkerContents } = require('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js') as {
    wasmWorkerContents: string;
  };
  // The stock worker receives the glue as a Blob in its 'load' message; swap in the file's path,
  // which its importScripts (fs.readFileSync + eval) can read. Wrapped in a block so the names
  // don't clash with the worker's own top-level vars.
  const redirect = `{ const port = require('worker_threads').parentPort; const on = port.on.bind(port);
port.on = (event, listener) => on(event, event !== 'message' ? listener : (data) => {
  if (data && data.cmd === 'load' && typeof data.urlOrBlob !== 'string') data.urlOrBlob = ${JSON.stringify(mainScript)};
  listener(data);
}); }\n`;
  // tfjs escapes the same way before building its Blob: the template literal turned the "\n"
  // escapes inside the worker's string literals into raw newlines.
  const workerScript = path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js');
  fs.writeFileSync(workerScript, redirect + wasmWorkerContents.replace(/\n/g, '\\n'));
  return workerScript;
}

interface EmscriptenThreads {
  PThread?: { runningWorkers: { unref(): void }[] };
}

function unrefPoolThreads(): void {
  const backend = tf.findBackend('wasm') as BackendWasm | null;
  (backend?.wasm as EmscriptenThreads | undefined)?.PThread?.runningWorkers.forEach((worker) => worker.unref());
}

/**
 * Runs `init` (which must initialise the wasm backend) with threads enabled. Throws if threads are
 * unavailable; the caller decides whether to retry single-threaded.
 */
export async function withNodeWasmThreads<T>(threads: number, init: () => Promise<T>): Promise<T> {
  const unavailable = wasmThreadsUnavailableReason();
  if (unavailable !== null) throw new Error(unavailable);
  const count = Math.min(Math.max(1, Math.floor(threads)), MAX_WASM_THREADS);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ser-tfjs-wasm-'));
  const workerScript = writeThreadScripts(dir);

  const createObjectURL = URL.createObjectURL;
  const cpus = os.cpus;
  URL.createObjectURL = (obj: Blob) =>
    obj instanceof Blob && obj.type === 'application/javascript' ? workerScript : createObjectURL(obj);
  const cpu = cpus()[0] as os.CpuInfo; // only the array's length is read
  (os as { cpus: () => os.CpuInfo[] }).cpus = () => new Array<os.CpuInfo>(2 * count).fill(cpu);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  setThreadsCount(count);
  try {
    const result = await init();
    unrefPoolThreads();
    return result;
  } catch (e) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setThreadsCount(1);
    throw e;
  } finally {
    URL.createObjectURL = createObjectURL;
    (os as { cpus: () => os.CpuInfo[] }).cpus = cpus;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
