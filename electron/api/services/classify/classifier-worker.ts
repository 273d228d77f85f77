/**
 * The model, in a worker thread of its own: started on first use, it loads the model once and
 * classifies jobs one after another, so inference never blocks the thread serving the API.
 */
import { randomUUID } from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import type { WindowResult } from '../../../ml/classify.ts';
import { siblingModule, startModuleWorker } from '../../../shared/worker-thread.ts';
import type { ClassifyItem, ClassifyWorkerInput, FromClassifyWorker, ToClassifyWorker } from './classify-protocol.ts';
import { ApiError } from '../../transport/errors.ts';

export interface ItemOutcome {
  recordingId: number;
  windows?: WindowResult[];
  warnings?: string[];
  error?: string;
}

interface PendingJob {
  onItem(outcome: ItemOutcome): void;
  settle(outcome: { cancelled: boolean } | Error): void;
}

interface PendingPrediction {
  resolve(probabilities: Float32Array[]): void;
  reject(err: Error): void;
}

/** What runs the model, in a sentence, and the errors behind that choice (see BackendInfo). */
export interface BackendReady {
  backend: string;
  backendDetails?: string;
}

export class ClassifierWorker {
  private worker: Worker | null = null;
  private ready: Promise<BackendReady> | null = null;
  private readonly jobs = new Map<string, PendingJob>();
  private readonly predictions = new Map<string, PendingPrediction>();
  /** Set by stopWhenIdle: the worker ends when its last job or prediction settles. */
  private retiring = false;

  constructor(private readonly input: ClassifyWorkerInput) {}

  /** Starts the worker if needed; resolves with the backend description once the model is loaded. */
  start(): Promise<BackendReady> {
    if (this.ready) return this.ready;
    const ready = new Promise<BackendReady>((resolve, reject) => {
      const worker = startModuleWorker(siblingModule(import.meta.url, 'classify-worker'), this.input);
      this.worker = worker;
      worker.on('message', (message: FromClassifyWorker) => {
        if (message.type === 'ready') resolve({ backend: message.backend, backendDetails: message.backendDetails });
        else if (message.type === 'init-failed') {
          reject(new ApiError('unavailable', `the model could not be loaded: ${message.error.message}`));
          this.stop();
        } else this.route(message);
      });
      // Before 'ready' these end the start (reject is a no-op after resolve); after it, the running jobs.
      const fail = (err: Error) => {
        reject(new ApiError('unavailable', `the model's worker failed: ${err.message}`));
        this.fail(err, worker);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`the classification worker stopped (exit code ${code})`)));
      // Until a job is running, the worker must not keep a CLI process alive.
      worker.unref();
    });
    this.ready = ready;
    // A failed start can be retried by a later call.
    ready.catch(() => {
      if (this.ready === ready) this.ready = null;
    });
    return ready;
  }

  /** Classifies items in order, reporting each as it is done; resolves { cancelled } when the job ends. */
  async classify(items: ClassifyItem[], options: { signal: AbortSignal; onItem(outcome: ItemOutcome): void }): Promise<{ cancelled: boolean }> {
    await this.start();
    const worker = this.worker!;
    const jobId = randomUUID();
    const send = (message: ToClassifyWorker) => worker.postMessage(message);
    const cancel = () => send({ type: 'cancel', jobId });
    return new Promise((resolve, reject) => {
      this.jobs.set(jobId, {
        onItem: options.onItem,
        settle: (outcome) => {
          this.jobs.delete(jobId);
          options.signal.removeEventListener('abort', cancel);
          this.idle(worker);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        },
      });
      worker.ref();
      options.signal.addEventListener('abort', cancel, { once: true });
      send({ type: 'classify', jobId, items });
      if (options.signal.aborted) cancel();
    });
  }

  /** Probabilities of each window (samples at the model's rate, one window long), in the model's label order. */
  async predict(windows: Float32Array[]): Promise<Float32Array[]> {
    if (windows.length === 0) return [];
    await this.start();
    const worker = this.worker!;
    const requestId = randomUUID();
    return new Promise((resolve, reject) => {
      const done = () => {
        this.predictions.delete(requestId);
        this.idle(worker);
      };
      this.predictions.set(requestId, {
        resolve: (p) => (done(), resolve(p)),
        reject: (err) => (done(), reject(err)),
      });
      worker.ref();
      worker.postMessage({ type: 'predict', requestId, windows } satisfies ToClassifyWorker);
    });
  }

  /** Ends the worker once nothing is running on it (the model was replaced; running work finishes on the old one). */
  stopWhenIdle(): void {
    this.retiring = true;
    if (this.worker) this.idle(this.worker);
    else this.stop();
  }

  /** With nothing left to do, the worker must not keep a CLI process alive, and a retired one ends. */
  private idle(worker: Worker): void {
    if (this.jobs.size > 0 || this.predictions.size > 0 || this.worker !== worker) return;
    if (this.retiring) this.stop();
    else worker.unref();
  }

  private route(message: Exclude<FromClassifyWorker, { type: 'ready' | 'init-failed' }>): void {
    if (message.type === 'predicted' || message.type === 'predict-failed') {
      const request = this.predictions.get(message.requestId);
      if (message.type === 'predicted') request?.resolve(message.probabilities);
      else request?.reject(new ApiError('internal', `prediction failed: ${message.error.message}`));
      return;
    }
    const job = this.jobs.get(message.jobId);
    if (!job) return;
    if (message.type === 'result') job.onItem({ recordingId: message.recordingId, windows: message.windows, warnings: message.warnings });
    else if (message.type === 'item-failed') job.onItem({ recordingId: message.recordingId, error: message.error });
    else if (message.type === 'done') job.settle({ cancelled: message.cancelled });
    else job.settle(new ApiError('internal', `classification failed: ${message.error.message}`));
  }

  private fail(err: Error, worker: Worker): void {
    // A worker replaced after stop() ends on its own; it must not take the new one's state with it.
    if (this.worker !== null && this.worker !== worker) return;
    for (const job of [...this.jobs.values()]) job.settle(err);
    for (const request of [...this.predictions.values()]) request.reject(err);
    this.worker = null;
    this.ready = null;
  }

  /** Ends the worker; running jobs fail. */
  stop(): void {
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker) void worker.terminate();
  }
}
