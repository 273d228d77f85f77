/**
 * The API's model workshop: data sets, training, evaluation, model management and the live
 * microphone. Merged into API in contract.ts; the same rules apply (inputs validated with these
 * schemas at the boundary, results typed here, nothing from Node reaches the renderer).
 */
import { z } from 'zod';

import type { EpochRecord } from '../../../ml/fit.ts';
import type { TrainingOverlap } from '../../../shared/training-overlap.ts';
import { id, label, method, none, userPath } from './schema-kit.ts';

// ---- results ------------------------------------------------------------------------------------

export type Gender = 'male' | 'female' | 'unknown';

export interface DatasetReport {
  /** A key for training.start / evaluate.start, valid while the app runs. */
  datasetId: string;
  /** The folder, or `labelling session “NAME”`. */
  source: string;
  convention: string;
  clips: number;
  minClipsPerLabel: number;
  labels: { label: string; clips: number; tooFew: boolean }[];
  speakers: { speaker: string; gender: Gender; clips: number }[];
  genders: { gender: Gender; clips: number; speakers: number }[];
  durations: { totalSec: number; minSec: number; meanSec: number; maxSec: number } | null;
  /** Files that could not be read or labelled; nothing is guessed. */
  rejected: { path: string; reason: string }[];
}


export interface TrainingState {
  jobId: string;
  status: 'preparing' | 'running' | 'completed' | 'cancelled' | 'failed';
  name: string;
  /** Per finished epoch; the curves. */
  history: EpochRecord[];
  bestEpoch: number;
  /** The batch in progress, for a progress bar and ETA. */
  current: { epoch: number; epochs: number; batch: number; batches: number; loss: number; accuracy: number; etaSec: number } | null;
  /** Feature extraction before the first epoch. */
  features: { done: number; total: number } | null;
  notes: string[];
  /** Set when it finished: the saved model (null if nothing was saved) and its test figures. */
  modelId: string | null;
  evaluationId: string | null;
  error: string | null;
}

export interface EvaluationReport {
  evaluationId: string;
  modelId: string;
  modelName: string;
  datasetSource: string;
  /** e.g. "held-out test split (speaker-independent)" or "every clip of the data set". */
  protocol: string;
  labels: string[];
  clips: number;
  /** SHA-256 of the sorted clip paths: equal digests, same clips. Absent in evaluations saved before it. */
  clipsDigest?: string;
  accuracy: number;
  macroF1: number;
  weightedF1: number;
  classes: { label: string; precision: number; recall: number; f1: number; support: number }[];
  /** confusion[i][j]: clips of true labels[i] predicted as labels[j]. */
  confusion: number[][];
  genders: { gender: Gender; clips: number; correct: number; accuracy: number }[];
  genderGap: number | null;
  speakers: { speaker: string; clips: number; correct: number; accuracy: number }[];
  /** 15-bin expected calibration error and its bins (a reliability diagram); absent in evaluations saved before it. */
  calibration?: { ece: number; bins: { lower: number; upper: number; count: number; confidence: number; accuracy: number }[] } | null;
  /** The evaluated clips from the model's training corpora and speakers; null when its metadata does not record them, absent in evaluations saved before it. */
  trainingOverlap?: TrainingOverlap | null;
  createdAt: string;
}

export interface ModelEntry {
  /** 'bundled' or the folder name of a user model. */
  id: string;
  name: string;
  labels: string[];
  trained: boolean;
  bundled: boolean;
  active: boolean;
  createdAt: string;
  /** Training data, split, epochs, base model, as its metadata records them. */
  provenance: Record<string, string | number>;
  metrics: Record<string, string>;
  /** As ModelSummary's. */
  accuracy: string | null;
}

/** A training run the app stopped in the middle of (a crash, a kill, a power cut), as its last checkpoint left it. */
export interface InterruptedRun {
  /** The model folder it was training into. */
  id: string;
  name: string;
  epochsDone: number;
  epochs: number;
  bestEpoch: number;
  bestValAccuracy: number | null;
  /** Where its clips come from. */
  dataset: string;
  resumable: boolean;
  /** Why it cannot resume. */
  reason?: string;
}

export interface LivePredictions {
  /** Windows completed by the frames pushed so far, each 3 s long, every 0.5 s. */
  windows: { startSec: number; endSec: number; probabilities: number[]; /** Share of the window that holds speech (audio/vad.ts). */ speech: number }[];
  labels: string[];
}

// ---- methods ------------------------------------------------------------------------------------

export const datasetSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('folder'), path: userPath, labelsCsv: userPath.optional() }).strict(),
  /** The current labelling session's annotations: each annotated region is a clip. */
  z.object({ kind: z.literal('session'), sessionId: id, /** Leaves out the held-out labels (annotation/held-out.ts). */ leaveOutHeldOut: z.boolean().optional() }).strict(),
]);

export const STUDIO_API = {
  'datasets.inspect': method<DatasetReport>()(z.object({ source: datasetSource, minClipsPerLabel: z.number().int().min(1).max(10_000).optional() }).strict()),

  /** Starts training in the main process's worker; one run at a time (conflict otherwise). */
  'training.start': method<{ jobId: string }>()(
    z
      .object({
        datasetId: z.string().min(1).max(100),
        name: z.string().min(1).max(100),
        /** Model id to fine-tune ('bundled' or a user model); omitted: train from scratch. */
        baseModel: z.string().min(1).max(200).optional(),
        freezeBase: z.boolean().default(false),
        labels: z.array(label).min(2).max(64).optional(),
        /** With baseModel: the new model keeps all the base's classes, those without clips masked out of the loss (neither taught nor unlearnt). */
        keepBaseClasses: z.boolean().default(false),
        /** fine-tune: a third of each class validates and nothing is tested, for a few labels measured elsewhere (the user's held-out labels). */
        split: z.enum(['speaker', 'random', 'fine-tune']).default('speaker'),
        epochs: z.number().int().min(1).max(500).default(30),
        patience: z.number().int().min(1).max(100).default(8),
        augment: z.number().int().min(0).max(10).default(0),
        seed: z.number().int().min(0).max(2 ** 31 - 1).default(42),
      })
      .strict(),
  ),
  /** The run in progress, else the last one (so a reopened window shows it); null when none ran. */
  'training.state': method<TrainingState | null>()(none),
  /** Runs the app stopped in the middle of; each resumes from its last finished epoch. */
  'training.interrupted': method<InterruptedRun[]>()(none),
  'training.resume': method<{ jobId: string }>()(z.object({ id: z.string().min(1).max(200) }).strict()),
  /** Deletes an interrupted run's folder and checkpoint. */
  'training.discard': method<void>()(z.object({ id: z.string().min(1).max(200) }).strict()),

  /** Evaluates a model on a data set in the background (job.finished carries an EvaluationReport). */
  'evaluate.start': method<{ jobId: string }>()(z.object({ modelId: z.string().min(1).max(200), datasetId: z.string().min(1).max(100) }).strict()),
  'evaluations.list': method<EvaluationReport[]>()(none),
  'evaluations.export': method<{ path: string; rows: number }>()(z.object({ evaluationId: z.string().min(1).max(100), path: userPath }).strict()),

  'models.list': method<ModelEntry[]>()(none),
  'models.setActive': method<ModelEntry>()(z.object({ id: z.string().min(1).max(200) }).strict()),
  'models.rename': method<ModelEntry>()(z.object({ id: z.string().min(1).max(200), name: z.string().min(1).max(100) }).strict()),
  /** The bundled model cannot be deleted. */
  'models.delete': method<void>()(z.object({ id: z.string().min(1).max(200) }).strict()),
  /** A model folder or a .zip of one; its metadata and weights are validated before it is added. */
  'models.import': method<ModelEntry>()(z.object({ path: userPath }).strict()),
  /** Writes the model folder as a .zip. */
  'models.export': method<{ path: string }>()(z.object({ id: z.string().min(1).max(200), path: userPath }).strict()),

  /** Live microphone: the renderer streams mono frames; windows are classified as they complete. */
  'live.start': method<{ streamId: string; labels: string[] }>()(
    z.object({ sampleRate: z.number().int().min(8000).max(192_000), record: z.boolean().default(false) }).strict(),
  ),
  /** samples: base64 of little-endian float32 mono samples at the stream's rate, at most 2 s per call. */
  'live.push': method<LivePredictions>()(z.object({ streamId: z.string().min(1).max(100), samples: z.string().max(2_000_000) }).strict()),
  /** Ends the stream; with record, saves it as a WAV file in `folder` (a library folder) with its predictions. */
  'live.stop': method<{ recordingId: number | null }>()(z.object({ streamId: z.string().min(1).max(100), folder: userPath.optional() }).strict()),
} as const;
