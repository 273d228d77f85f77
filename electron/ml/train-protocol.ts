/**
 * The messages between startTraining (main thread) and its worker (train-worker.ts). Both sides
 * import these types, so a change to one side that the other does not follow fails to compile.
 */
import type { TrainingConfig, TrainingEvent, TrainingResult } from './train.ts';

export interface WorkerInput {
  config: TrainingConfig;
}

export type ToWorker = { type: 'cancel' };

export type FromWorker =
  | { type: 'event'; event: TrainingEvent }
  | { type: 'done'; result: TrainingResult }
  | { type: 'failed'; error: { name: string; message: string; stack?: string } };
