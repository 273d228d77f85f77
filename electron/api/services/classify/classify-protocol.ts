/**
 * The messages between ClassifierWorker (main thread) and classify-worker.ts. Both sides import
 * these types, so a change to one side that the other does not follow fails to compile.
 */
import type { WindowResult } from '../../../ml/classify.ts';

export interface ClassifyWorkerInput {
  modelDir: string;
  /** tfjs-backend-wasm's .wasm files, where a packaged app keeps them (default: the package's own folder). */
  wasmDir?: string;
}

/** One recording to classify: the whole file, or the stretch [startSec, endSec). */
export interface ClassifyItem {
  recordingId: number;
  path: string;
  startSec?: number;
  endSec?: number;
}

export type ToClassifyWorker =
  | { type: 'classify'; jobId: string; items: ClassifyItem[] }
  | { type: 'cancel'; jobId: string }
  /** Windows of samples at the model's rate, each one window long (the live microphone): answered at once, between a job's batches. */
  | { type: 'predict'; requestId: string; windows: Float32Array[] };

export interface WorkerError {
  name: string;
  message: string;
}

export type FromClassifyWorker =
  /** backend: one sentence for people; backendDetails: the errors behind it, shown on request. */
  | { type: 'ready'; backend: string; backendDetails?: string }
  | { type: 'init-failed'; error: WorkerError }
  /** One item's windows (times from the start of the recording), or why it could not be classified. */
  | { type: 'result'; jobId: string; recordingId: number; windows: WindowResult[]; warnings: string[] }
  | { type: 'item-failed'; jobId: string; recordingId: number; error: string }
  | { type: 'done'; jobId: string; cancelled: boolean }
  /** One probability vector per window of a predict request, in the model's label order. */
  | { type: 'predicted'; requestId: string; probabilities: Float32Array[] }
  | { type: 'predict-failed'; requestId: string; error: WorkerError }
  | { type: 'failed'; jobId: string; error: WorkerError };
