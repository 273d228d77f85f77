/**
 * The training run as the main process reports it. Training runs in the main process's worker, not here: this
 * only mirrors its state, so a window opened mid-run (or reopened) shows the same curves and progress.
 */
import type { ApiInput, InterruptedRun, TrainingState } from '../../../electron/api/transport/contract';
import { call, onEvent } from './api';

class Training {
  state = $state<TrainingState | null>(null);
  /** Runs the app was stopped in the middle of, which can resume. */
  interrupted = $state<InterruptedRun[]>([]);
  running = $derived(this.state?.status === 'preparing' || this.state?.status === 'running');
  #heard = false;

  async start(): Promise<void> {
    onEvent((event) => {
      if (event.type === 'events.resumed') {
        Promise.all([call('training.state', {}), call('training.interrupted', {})])
          .then(([state, interrupted]) => {
            this.state = state;
            this.interrupted = interrupted;
          })
          .catch(() => undefined);
      }
      if (event.type !== 'training.state') return;
      this.#heard = true;
      this.state = event.state;
    });
    const [state, interrupted] = await Promise.all([call('training.state', {}), call('training.interrupted', {})]);
    // An event that arrived while the call was in flight is at least as new as its answer.
    if (!this.#heard) this.state = state;
    this.interrupted = interrupted;
  }

  async resume(id: string): Promise<void> {
    await call('training.resume', { id });
    this.interrupted = this.interrupted.filter((r) => r.id !== id);
    this.state = await call('training.state', {});
  }

  async discard(id: string): Promise<void> {
    await call('training.discard', { id });
    this.interrupted = this.interrupted.filter((r) => r.id !== id);
  }

  async begin(input: ApiInput<'training.start'>): Promise<void> {
    await call('training.start', input);
    // Show the run at once; its events carry the rest.
    this.state = await call('training.state', {});
  }

  async cancel(): Promise<void> {
    if (this.state) await call('jobs.cancel', { jobId: this.state.jobId });
  }
}

export const training = new Training();
