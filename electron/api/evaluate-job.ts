/** An evaluation off the calling thread: a worker of its own, its progress as callbacks, cancel() ends it. */
import { siblingModule, startModuleWorker } from '../shared/worker-thread.ts';
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
  let cancel = () => {};
  const result = new Promise<EvaluationOutcome>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
      // WebAssembly's pthread workers keep the worker alive after the run: end it explicitly.
      void worker.terminate();
    };
    worker.on('message', (message: FromEvaluateWorker) => {
      if (message.type === 'progress') onProgress(message.done, message.total);
      else if (message.type === 'done') settle(() => resolve(message.outcome));
      else settle(() => reject(new EvaluationJobError(message.error)));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the evaluation worker stopped (exit code ${code}) before it finished`))));
    cancel = () => settle(() => reject(new DOMException('evaluation cancelled', 'AbortError')));
  });
  return { result, cancel: () => cancel() };
}
