/**
 * Background jobs (imports, classifications, training, evaluations) as the main process reports them. A job's events can arrive
 * before the call that started it has answered, so finished jobs are remembered until someone waits on them.
 */
import type { ApiErrorBody, ApiEvent, JobKind, JobStatus } from '../../../electron/api/transport/contract';
import { ApiError, call, onEvent, type StreamEvent } from './api';

export interface RunningJob {
  jobId: string;
  kind: JobKind;
  done: number;
  total: number;
  message: string;
}

/** What a finished job carries, by kind: ImportResult, ClassifyResult, EvaluationReport or TrainingState. */
type JobResult = Extract<ApiEvent, { type: 'job.finished' }>['result'];

type Outcome = { ok: true; result: JobResult } | { ok: false; error: ApiErrorBody };

class Jobs {
  running = $state<RunningJob[]>([]);
  #outcomes = new Map<string, Outcome>();
  #waiters = new Map<string, (outcome: Outcome) => void>();

  constructor() {
    onEvent((event) => this.#handle(event));
  }

  #handle(event: StreamEvent): void {
    if (event.type === 'events.resumed') {
      for (const { jobId, kind } of this.running) this.#catchUp(jobId, kind).catch(() => undefined);
    } else if (event.type === 'job.progress') {
      const job = this.running.find((j) => j.jobId === event.jobId);
      if (job) Object.assign(job, { done: event.done, total: event.total, message: event.message });
      else this.running.push({ jobId: event.jobId, kind: event.kind, done: event.done, total: event.total, message: event.message });
    } else if (event.type === 'job.finished' || event.type === 'job.failed') {
      this.running = this.running.filter((j) => j.jobId !== event.jobId);
      const outcome: Outcome = event.type === 'job.finished' ? { ok: true, result: event.result } : { ok: false, error: event.error };
      const waiter = this.#waiters.get(event.jobId);
      if (waiter) {
        this.#waiters.delete(event.jobId);
        waiter(outcome);
      } else {
        this.#outcomes.set(event.jobId, outcome);
      }
    }
  }

  /** Asks where a job stands after its events may have been lost, and replays what was missed as its event. */
  async #catchUp(jobId: string, kind: JobKind): Promise<void> {
    let status: JobStatus;
    try {
      status = await call('jobs.status', { jobId });
    } catch (error) {
      // Forgotten by the main process (restarted, or ended long ago): nothing will ever end it, so let it go.
      if (error instanceof ApiError && error.code === 'not_found') this.#handle({ type: 'job.failed', jobId, kind, error });
      return;
    }
    if (status.state === 'running') this.#handle({ type: 'job.progress', jobId, kind, done: status.done, total: status.total, message: status.message });
    else if (status.state === 'finished') this.#handle({ type: 'job.finished', jobId, kind, result: status.result });
    else this.#handle({ type: 'job.failed', jobId, kind, error: status.error });
  }

  /** Shows the job at once (before its first progress event) and resolves with its result, or rejects with its error. */
  async track<R extends JobResult>(jobId: string, kind: JobKind): Promise<R> {
    const early = this.#outcomes.get(jobId);
    this.#outcomes.delete(jobId);
    if (!early && !this.running.some((j) => j.jobId === jobId)) {
      this.running.push({ jobId, kind, done: 0, total: 0, message: kind === 'import' ? 'Starting import…' : 'Starting…' });
    }
    const outcome = early ?? (await new Promise<Outcome>((resolve) => this.#waiters.set(jobId, resolve)));
    if (!outcome.ok) throw new ApiError(outcome.error.code, outcome.error.message);
    return outcome.result as R;
  }

  async cancel(jobId: string): Promise<void> {
    await call('jobs.cancel', { jobId });
  }
}

export const jobs = new Jobs();
