/** Evaluations run while the app is open (training's own test evaluation included), newest first. */
import type { EvaluationReport } from '../../../electron/api/transport/contract';
import { call, onEvent } from './api';
import { jobs } from './jobs.svelte';
import { toasts } from './toasts.svelte';

class Evaluations {
  list = $state<EvaluationReport[]>([]);
  /** The evaluation the Evaluate view shows; null: the newest. */
  shown = $state<string | null>(null);

  async start(): Promise<void> {
    onEvent((event) => {
      // A finished training run adds its test evaluation.
      const added = event.type === 'training.state' && event.state.evaluationId && !this.byId(event.state.evaluationId);
      if (added || event.type === 'events.resumed') {
        this.refresh().catch((error) => toasts.error(error));
      }
    });
    await this.refresh();
  }

  async refresh(): Promise<void> {
    const list = await call('evaluations.list', {});
    this.list = list.toSorted((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Evaluates in the background; resolves with the report when it is done. */
  async run(modelId: string, datasetId: string): Promise<EvaluationReport> {
    const { jobId } = await call('evaluate.start', { modelId, datasetId });
    const report = await jobs.track<EvaluationReport>(jobId, 'evaluate');
    await this.refresh();
    return report;
  }

  byId(id: string | null | undefined): EvaluationReport | null {
    return this.list.find((e) => e.evaluationId === id) ?? null;
  }
}

export const evaluations = new Evaluations();
