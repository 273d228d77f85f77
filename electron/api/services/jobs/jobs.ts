/**
 * Background jobs (imports, classifications, training, evaluation): each runs as an async task the API call does not
 * wait for, reports throttled job.progress events, ends with job.finished or job.failed, and can
 * be cancelled. A cancelled job keeps what it stored before it stopped.
 */
import { randomUUID } from 'node:crypto';
import type { ApiErrorBody, ClassifyResult, EvaluationReport, ImportResult, JobKind, JobStatus, TrainingState } from '../../transport/contract.ts';
import { ApiError, errorBody } from '../../transport/errors.ts';
import type { ApiEventBus } from '../../transport/events.ts';

export interface JobContext {
  jobId: string;
  signal: AbortSignal;
  /** Reports progress; events go out at most every `progressIntervalMs`, the last one always. */
  progress(done: number, total: number, message: string): void;
}

export type JobResult = ImportResult | ClassifyResult | EvaluationReport | TrainingState;

interface RunningJob {
  kind: JobKind;
  controller: AbortController;
  done: Promise<void>;
  progress: { done: number; total: number; message: string };
}

/**
 * How many ended jobs keep their outcome for jobs.status: a window whose event stream dropped
 * while a job ended asks for it when the stream comes back, seconds later, not days.
 */
const ENDED_JOBS_KEPT = 100;

export class JobRunner {
  private readonly running = new Map<string, RunningJob>();
  private readonly ended = new Map<string, JobStatus>();

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
    const job: RunningJob = { kind, controller, done: Promise.resolve(), progress: { done: 0, total: 0, message: '' } };
    const throttle = this.throttle(jobId, kind, job);
    job.done = (async () => {
      // Let the caller receive the job id before the first event can arrive.
      await Promise.resolve();
      try {
        const result = await run({ jobId, signal: controller.signal, progress: throttle.progress });
        throttle.flush();
        this.end(jobId, { state: 'finished', kind, result });
        this.events.emit({ type: 'job.finished', jobId, kind, result });
      } catch (err) {
        throttle.flush();
        const error: ApiErrorBody = controller.signal.aborted
          ? { code: 'cancelled', message: `${kind} cancelled; what it finished before was kept` }
          : errorBody(err, (text) => this.log(`${kind} job ${jobId} failed: ${text}`));
        this.end(jobId, { state: 'failed', kind, error });
        this.events.emit({ type: 'job.failed', jobId, kind, error });
      } finally {
        this.events.emit({ type: 'library.changed' });
      }
    })();
    this.running.set(jobId, job);
    return jobId;
  }

  /** Where a job stands: what a window that missed its events (a dropped stream) asks. */
  status(jobId: string): JobStatus {
    const job = this.running.get(jobId);
    if (job) return { state: 'running', kind: job.kind, ...job.progress };
    const ended = this.ended.get(jobId);
    if (!ended) throw new ApiError('not_found', `no job ${jobId} (it may have ended long ago)`);
    return ended;
  }

  private end(jobId: string, status: JobStatus): void {
    this.running.delete(jobId);
    this.ended.set(jobId, status);
    // Maps iterate in insertion order: the first key is the oldest outcome.
    if (this.ended.size > ENDED_JOBS_KEPT) this.ended.delete(this.ended.keys().next().value as string);
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
  private throttle(jobId: string, kind: JobKind, job: RunningJob) {
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
        job.progress = pending;
        const wait = last + this.progressIntervalMs - Date.now();
        if (wait <= 0) send();
        else timer ??= setTimeout(send, wait);
      },
      flush: send,
    };
  }
}
