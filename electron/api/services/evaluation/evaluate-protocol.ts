/** The messages between startEvaluation (main thread) and evaluate-worker.ts; both sides compile against them. */
import type { Evaluation } from '../../../ml/evaluate.ts';
import type { ImportOptions } from '../../../ml/datasets/index.ts';
import type { TrainingOverlap } from '../../../ml/training-overlap.ts';

export interface EvaluateWorkerInput {
  modelDir: string;
  data: ImportOptions;
  cacheDir: string;
  wasmDir?: string;
}

export interface EvaluationOutcome {
  evaluation: Evaluation;
  /** The clips evaluated, in the evaluation's order. */
  clipPaths: string[];
  /** The data set's folder, as the import resolved it. */
  root: string;
  /** The model's metadata names this data set as its training data: its figures include training clips. */
  trainedOnThis: boolean;
  /** The clips of the model's training corpora and speakers; null when its metadata does not record them. */
  trainingOverlap: TrainingOverlap | null;
  /** What preparation left out (other labels, duplicates, unreadable files), for people. */
  notes: string[];
}

export type FromEvaluateWorker =
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; outcome: EvaluationOutcome }
  | { type: 'failed'; error: { name: string; message: string } };
