/**
 * A training run's row in the workspace store: opened when the run starts, one history entry per
 * epoch as it finishes (so an interrupted run keeps its history), and the trained model
 * registered with its test figures when it completes.
 */
import { resolve } from 'node:path';
import {
  ensureModel,
  finishTrainingRun,
  labelSetFor,
  openStore,
  recordEpoch,
  startTrainingRun,
  type ModelMetrics,
  type StoreDb,
} from '../store/index.ts';
import type { EpochRecord } from './fit.ts';

export class RunRecord {
  private constructor(
    private readonly db: StoreDb,
    readonly id: number,
  ) {}

  static start(dbFile: string, labels: readonly string[], name: string, config: unknown): RunRecord {
    const db = openStore(dbFile);
    try {
      const labelSet = labelSetFor(db, labels, name);
      return new RunRecord(db, startTrainingRun(db, { labelSetId: labelSet.id, config }).id);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  epoch(record: EpochRecord): void {
    const { epoch, loss, accuracy, valLoss, valAccuracy, seconds } = record;
    recordEpoch(this.db, this.id, { epoch, loss, accuracy, val_loss: valLoss, val_accuracy: valAccuracy, seconds });
  }

  /** Registers the saved model (a new version named by its creation time) and closes the run. */
  complete(model: { name: string; version: string; labels: readonly string[]; dir: string; provenance: unknown; metrics: ModelMetrics }): void {
    const stored = ensureModel(this.db, {
      name: model.name,
      version: model.version,
      labels: model.labels,
      directory: resolve(model.dir),
      provenance: model.provenance,
      metrics: model.metrics,
    });
    finishTrainingRun(this.db, this.id, { status: 'completed', finalMetrics: model.metrics, modelId: stored.id });
  }

  end(status: 'failed' | 'cancelled', error?: string): void {
    finishTrainingRun(this.db, this.id, { status, ...(error === undefined ? {} : { error }) });
  }

  close(): void {
    this.db.close();
  }
}
