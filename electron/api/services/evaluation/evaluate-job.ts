/** An evaluation off the calling thread: a worker of its own, its progress as callbacks, cancel() ends it. */
import { siblingModule, startModuleWorker, workerResult } from '../../../shared/worker-thread.ts';
import type { EvaluateWorkerInput, EvaluationOutcome, FromEvaluateWorker } from './evaluate-protocol.ts';

export interface EvaluationJob {
  result: Promise<EvaluationOutcome>;
  /** Ends the worker; result rejects with an AbortError. */
  cancel(): void;
}

/** The error the evaluation failed with in its worker, under the worker's error name. */
export class EvaluationJobError extends Error {
  constructor(error: { name: string; message: string }) {
    super(error.message);
    this.name = error.name;
  }
}

export function startEvaluation(input: EvaluateWorkerInput, onProgress: (done: number, total: number) => void): EvaluationJob {
  const worker = startModuleWorker(siblingModule(import.meta.url, 'evaluate-worker'), input);
  const { result, abandon } = workerResult<EvaluationOutcome, FromEvaluateWorker>(worker, 'evaluation', (message, settle) => {
    if (message.type === 'progress') onProgress(message.done, message.total);
    else if (message.type === 'done') settle.resolve(message.outcome);
    else settle.reject(new EvaluationJobError(message.error));
  });
  return { result, cancel: () => abandon(new DOMException('evaluation cancelled', 'AbortError')) };
}
