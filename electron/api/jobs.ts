/**
 * Background jobs (imports, classifications, training, evaluation): each runs as an async task the API call does not
 * wait for, reports throttled job.progress events, ends with job.finished or job.failed, and can
 * be cancelled. A cancelled job keeps what it stored before it stopped.
 */
import { randomUUID } from 'node:crypto';
import type { ClassifyResult, EvaluationReport, ImportResult, JobKind, TrainingState } from './contract.ts';
import { ApiError, errorBody } from './errors.ts';
import type { ApiEventBus } from './events.ts';

export interface JobContext {
  jobId: string;
  signal: AbortSignal;
  /** Reports progress; events go out at most every `progressIntervalMs`, the last one always. */
  progress(done: number, total: number, message: string): void;
}

export type JobResult = ImportResult | ClassifyResult | EvaluationReport | TrainingState;

interface RunningJob {
  controller: AbortController;
  done: Promise<void>;
}

export class JobRunner {
  private readonly running = new Map<string, RunningJob>();

  constructor(
    private readonly events: ApiEventBus,
    private readonly log: (message: string) => void = console.error,
    private readonly progressIntervalMs = 100,
  ) {}

  /** Starts `run` and returns its id at once; its outcome arrives as events. */
  start(kind: JobKind, run: (context: JobContext) => Promise<JobResult>): string {
    return this.startWithId(randomUUID(), kind, run);
  }

  /** As start, under an id the caller made (so what it sets up before the job starts can name the job). */
  startWithId(jobId: string, kind: JobKind, run: (context: JobContext) => Promise<JobResult>): string {
    const controller = new AbortController();
    const throttle = this.throttle(jobId, kind);
    const done = (async () => {
      // Let the caller receive the job id before the first event can arrive.
      await Promise.resolve();
      try {
        const result = await run({ jobId, signal: controller.signal, progress: throttle.progress });
        throttle.flush();
        this.events.emit({ type: 'job.finished', jobId, kind, result });
      } catch (err) {
        throttle.flush();
        const error = controller.signal.aborted
          ? { code: 'cancelled' as const, message: `${kind} cancelled; what it finished before was kept` }
          : errorBody(err, (text) => this.log(`${kind} job ${jobId} failed: ${text}`));
        this.events.emit({ type: 'job.failed', jobId, kind, error });
      } finally {
        this.running.delete(jobId);
        this.events.emit({ type: 'library.changed' });
      }
    })();
    this.running.set(jobId, { controller, done });
    return jobId;
  }

  cancel(jobId: string): void {
    const job = this.running.get(jobId);
    if (!job) throw new ApiError('not_found', `no running job ${jobId}`);
    job.controller.abort();
  }

  /** Cancels every job and waits for them to stop. */
  async close(): Promise<void> {
    const jobs = [...this.running.values()];
    for (const job of jobs) job.controller.abort();
    await Promise.all(jobs.map((job) => job.done));
  }

  /** Leading and trailing throttle: the first report goes out at once, then at most one per interval, and the latest is never lost. */
  private throttle(jobId: string, kind: JobKind) {
    let last = 0;
    let pending: { done: number; total: number; message: string } | null = null;
    let timer: NodeJS.Timeout | null = null;
    const send = () => {
      if (timer) clearTimeout(timer);
      timer = null;
      if (!pending) return;
      this.events.emit({ type: 'job.progress', jobId, kind, ...pending });
      pending = null;
      last = Date.now();
    };
    return {
      progress: (done: number, total: number, message: string) => {
        pending = { done, total, message };
        const wait = last + this.progressIntervalMs - Date.now();
        if (wait <= 0) send();
        else timer ??= setTimeout(send, wait);
      },
      flush: send,
    };
  }
}
