/**
 * Training off the calling thread: startTraining runs a training run in a worker thread and
 * returns at once with its result as a promise, its events through onEvent, and cancel().
 */
import { siblingModule, startModuleWorker, workerResult } from '../shared/worker-thread.ts';
import type { FromWorker, ToWorker, WorkerInput } from './train-protocol.ts';
import type { TrainingConfig, TrainingEvent, TrainingResult } from './train.ts';

export interface TrainingJob {
  /** Resolves when the run ends, cancelled or not; rejects with the run's error. */
  result: Promise<TrainingResult>;
  /** Stops before the next batch; the run then saves its best epoch so far and resolves as cancelled. */
  cancel(): void;
}

/** The error a run failed with in its worker, with the worker's name and stack. */
export class TrainingJobError extends Error {
  constructor(error: { name: string; message: string; stack?: string }) {
    super(error.message);
    this.name = error.name;
    if (error.stack) this.stack = error.stack;
  }
}

export function startTraining(config: TrainingConfig, options: { onEvent?: (event: TrainingEvent) => void } = {}): TrainingJob {
  const worker = startModuleWorker(siblingModule(import.meta.url, 'train-worker'), { config } satisfies WorkerInput);
  const { result } = workerResult<TrainingResult, FromWorker>(worker, 'training', (message, settle) => {
    if (message.type === 'event') options.onEvent?.(message.event);
    else if (message.type === 'done') settle.resolve(message.result);
    else settle.reject(new TrainingJobError(message.error));
  });
  return {
    result,
    cancel: () => worker.postMessage({ type: 'cancel' } satisfies ToWorker),
  };
}
