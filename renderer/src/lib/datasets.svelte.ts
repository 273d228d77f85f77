/**
 * Data sets inspected while the app runs. Each report's datasetId is what training.start and evaluate.start
 * take, so the Train and Evaluate views offer the data sets inspected here.
 */
import type { ApiInput, DatasetReport } from '../../../electron/api/transport/contract';
import { call } from './api';

export type DatasetSource = ApiInput<'datasets.inspect'>['source'];

class Datasets {
  /** Newest first, one per source. */
  reports = $state<DatasetReport[]>([]);
  /** The report the Data sets view shows. */
  current = $state<DatasetReport | null>(null);

  async inspect(source: DatasetSource, minClipsPerLabel?: number): Promise<DatasetReport> {
    const report = await call('datasets.inspect', { source, ...(minClipsPerLabel ? { minClipsPerLabel } : {}) });
    this.reports = [report, ...this.reports.filter((r) => r.source !== report.source)];
    this.current = report;
    return report;
  }

  byId(datasetId: string | null | undefined): DatasetReport | null {
    return this.reports.find((r) => r.datasetId === datasetId) ?? null;
  }
}

export const datasets = new Datasets();
