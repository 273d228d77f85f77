/**
 * The one API between the renderer and the main process, described once: every method's input as a
 * zod schema (validated at the boundary by both transports, IPC and HTTP) and its result as a type;
 * every event the renderer can receive. The renderer imports this file's types only (and may use
 * the schemas to validate forms); the main process implements `ApiHandlers`.
 */
import { z } from 'zod';

import { AGREEMENT_API } from './contract/agreement.ts';
import { LEARNING_API } from './contract/learning.ts';
import { ANNOTATIONS_API } from './contract/annotations.ts';
import { LABEL_SETS_API, type LabelSetInfo } from './contract/label-sets.ts';
import { STUDIO_API, type EvaluationReport, type TrainingState } from './contract/studio.ts';
import { id, jobId, label, method, none, seconds, userPath } from './contract/schema-kit.ts';

export type * from './contract/agreement.ts';
export type * from './contract/learning.ts';
export type * from './contract/annotations.ts';
export type * from './contract/label-sets.ts';
export type * from './contract/studio.ts';

// ---- results ------------------------------------------------------------------------------------

export interface ModelSummary {
  id: string;
  name: string;
  version: string;
  labels: string[];
  trained: boolean;
  /** Headline figures as the model card words them, e.g. { speaker_independent_accuracy: "61.2% (...)" }. */
  metrics: Record<string, string>;
  /** Its tested accuracy, saying on what: "47% on unseen speakers", "85% on held-out clips"; null when untested. */
  accuracy: string | null;
}

export interface AppInfo {
  app: string;
  version: string;
  /** 'electron' or 'serve' (HTTP in a browser). */
  transport: 'electron' | 'serve';
  /** One sentence, e.g. "Native TensorFlow not installed: using WebAssembly (SIMD, 2 threads)". */
  backend: string;
  /** The errors behind that sentence (a module that failed to load), shown on request; null when there are none. */
  backendDetails: string | null;
  model: ModelSummary;
  database: string;
  node: string;
  electron: string | null;
}

export interface LibraryFolder {
  id: number;
  path: string;
  addedAt: string;
}

export interface RecordingSummary {
  id: number;
  path: string;
  /** File name without its folder. */
  name: string;
  format: string | null;
  durationSec: number | null;
  sampleRate: number | null;
  channels: number | null;
  /** The latest classification's mean over its windows with speech (label "no speech" when none has), null when never classified. */
  latest: { label: string; confidence: number; modelName: string; at: string } | null;
  annotationCount: number;
  /** False when the file is gone or its content changed since it was added. */
  available: boolean;
  /** What decoding found wrong with the file in the latest classification ("truncated: 1.2 s of 3.6 s"); empty when nothing. */
  warnings: string[];
}

export interface Peaks {
  durationSec: number;
  /** The stretch the peaks cover. */
  startSec: number;
  endSec: number;
  /**
   * Max of |sample| over equal slices of [startSec, endSec], in [0, 1]; one value per point. Of a PCM WAV, the
   * file's own (source-rate) samples, and for a stretch over 2^22 of them, over the 128-sample blocks each slice
   * overlaps (electron/audio/wav-signal.ts); of other formats, the decoded signal's at the model's rate.
   */
  peaks: number[];
}

export interface Spectrogram {
  /** Where frame 0 is centred: the stretch's start, or for a tile the middle of its first column. */
  startSec: number;
  endSec: number;
  nMels: number;
  frames: number;
  /** Seconds between frames (hop / sample rate), or the width of a column of a reduced tile. */
  frameSec: number;
  fMin: number;
  fMax: number;
  /** dB below the clip's maximum are clipped at -topDb; values are quantised to 0..255 over [-topDb, 0]. */
  topDb: number;
  /** base64 of frames x nMels bytes, frame-major (frame 0's mels low to high, then frame 1's, ...). */
  data: string;
}

export interface WindowPrediction {
  startSec: number;
  endSec: number;
  /** In the order of `labels`. */
  probabilities: number[];
  /** Share of the window that holds speech; null where not measured. Below MIN_SPEECH_SHARE (shared/outcomes.ts) it is "no speech". */
  speech: number | null;
}

export interface RecordingPredictions {
  recordingId: number;
  model: { id: number; name: string; version: string } | null;
  labels: string[];
  windows: WindowPrediction[];
  /** Mean over the windows with speech (all of them when none has), in the order of `labels`; empty when there are no windows. */
  mean: number[];
}

export interface Session {
  id: number;
  name: string;
  annotator: string | null;
  /** Its label set's class names (`labelSet.classes` in order). */
  labels: string[];
  /** The set it annotates with: its kind and each class's colour and key. */
  labelSet: LabelSetInfo;
  notes: string | null;
  createdAt: string;
  annotationCount: number;
}

export interface Annotation {
  id: number;
  recordingId: number;
  sessionId: number;
  /** The session's tier it lies on (tiers.list). */
  tierId: number;
  startSec: number;
  endSec: number;
  label: string;
  intensity: 'normal' | 'strong' | null;
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface JobStarted {
  jobId: string;
}

/** A job as jobs.status reports it; an ended job's outcome is what its job.finished or job.failed event carried. */
export type JobStatus =
  | { state: 'running'; kind: JobKind; done: number; total: number; message: string }
  | { state: 'finished'; kind: JobKind; result: ImportResult | ClassifyResult | EvaluationReport | TrainingState }
  | { state: 'failed'; kind: JobKind; error: ApiErrorBody };

export interface ImportResult {
  added: number;
  alreadyKnown: number;
  failed: { path: string; error: string }[];
}

export interface ClassifyResult {
  classified: number;
  failed: { recordingId: number; error: string }[];
  /** Recordings classified from what their file holds, with what decoding found wrong ("truncated: 1.2 s of 3.6 s"); absent when none. */
  warnings?: { recordingId: number; warning: string }[];
}

export interface ExportResult {
  path: string;
  rows: number;
}

// ---- methods ------------------------------------------------------------------------------------

const recordingFilter = z
  .object({
    search: z.string().max(200).optional(),
    label: label.optional(),
    minConfidence: z.number().min(0).max(1).optional(),
    sessionId: id.optional(),
  })
  .strict();

const annotationFields = {
  /** Default: the session's first interval tier. */
  tierId: id.optional(),
  startSec: seconds,
  endSec: seconds,
  label,
  intensity: z.enum(['normal', 'strong']).nullable().optional(),
  note: z.string().max(2000).nullable().optional(),
};

export const API = {
  'app.info': method<AppInfo>()(none),

  /** Folders (or single files) the user has added: the only places the app reads audio from or writes exports to. */
  'library.folders': method<LibraryFolder[]>()(none),
  /** Adds a folder or file and imports its audio in the background (progress events; ImportResult when finished). */
  'library.add': method<JobStarted>()(z.object({ path: userPath }).strict()),
  'library.removeFolder': method<void>()(z.object({ id }).strict()),

  'recordings.list': method<RecordingSummary[]>()(recordingFilter),
  'recordings.get': method<RecordingSummary>()(z.object({ id }).strict()),
  /** Waveform peaks for a stretch of a recording (the whole of it by default). */
  'recordings.peaks': method<Peaks>()(
    z.object({ id, startSec: seconds.optional(), endSec: seconds.optional(), points: z.number().int().min(16).max(20_000) }).strict(),
  ),
  /**
   * The log-mel features the model sees, for a stretch of at most 10 minutes; with `columns`, a tile of any
   * stretch at screen resolution (dB below full scale; frames max-pooled to at most that many columns, over
   * each column's loudest frames where a column spans more than a few).
   */
  'recordings.spectrogram': method<Spectrogram>()(
    z.object({ id, startSec: seconds.optional(), endSec: seconds.optional(), columns: z.number().int().min(16).max(4096).optional() }).strict(),
  ),
  /** The latest classification of a recording (by the active model unless one is named). */
  'recordings.predictions': method<RecordingPredictions>()(z.object({ id, modelId: id.optional() }).strict()),

  /** Classifies recordings (or one stretch of one) in the background with the active model; results go to the store. */
  'classify.start': method<JobStarted>()(
    z
      .object({ recordingIds: z.array(id).min(1).max(100_000), startSec: seconds.optional(), endSec: seconds.optional() })
      .strict()
      .refine((v) => (v.startSec === undefined && v.endSec === undefined) || v.recordingIds.length === 1, 'a stretch needs exactly one recording'),
  ),
  'jobs.cancel': method<void>()(z.object({ jobId }).strict()),
  /** A job's progress or outcome, for a window that missed its events while its event stream reconnected. */
  'jobs.status': method<JobStatus>()(z.object({ jobId }).strict()),

  'sessions.list': method<Session[]>()(none),
  'sessions.create': method<Session>()(
    z
      .object({ name: z.string().min(1).max(200), annotator: z.string().max(200).optional(), notes: z.string().max(2000).optional(), labelSetId: id.optional() })
      .strict(),
  ),

  'annotations.list': method<Annotation[]>()(z.object({ sessionId: id, recordingId: id.optional(), tierId: id.optional() }).strict()),
  'annotations.add': method<Annotation>()(z.object({ sessionId: id, recordingId: id, ...annotationFields }).strict()),
  'annotations.update': method<Annotation>()(z.object({ id, ...annotationFields }).partial().required({ id: true }).strict()),
  /** Returns the deleted annotation so the UI can undo with annotations.restore. */
  'annotations.delete': method<Annotation>()(z.object({ id }).strict()),
  'annotations.restore': method<Annotation>()(
    z.object({ id, sessionId: id, recordingId: id, ...annotationFields, createdAt: z.string().optional(), updatedAt: z.string().optional() }).strict(),
  ),

  /**
   * Writes a CSV report into a folder of the library (serve mode) or where the save dialog said
   * (Electron): a new .csv file, or one this app wrote before when `replace` (the user confirmed).
   * `per` applies to predictions: rows per window (the default), per file (its windows' mean), or both.
   */
  'export.csv': method<ExportResult>()(
    z
      .object({
        kind: z.enum(['predictions', 'annotations', 'summary']),
        per: z.enum(['window', 'file', 'both']).optional(),
        sessionId: id.optional(),
        path: userPath,
        replace: z.boolean().optional(),
      })
      .strict(),
  ),

  ...STUDIO_API,
  ...AGREEMENT_API,
  ...LEARNING_API,
  ...ANNOTATIONS_API,
  ...LABEL_SETS_API,
} as const;

export type ApiMethod = keyof typeof API;
export type ApiInput<M extends ApiMethod> = z.input<(typeof API)[M]['input']>;
// Exclude, not NonNullable: NonNullable<void> is `void & {}`, which no handler returning nothing satisfies.
export type ApiOutput<M extends ApiMethod> = Exclude<(typeof API)[M]['output'], undefined>;
export type ApiHandlers = { [M in ApiMethod]: (input: z.output<(typeof API)[M]['input']>) => Promise<ApiOutput<M>> | ApiOutput<M> };

// ---- errors and events --------------------------------------------------------------------------

export type ApiErrorCode = 'invalid_input' | 'not_found' | 'forbidden_path' | 'conflict' | 'unavailable' | 'cancelled' | 'internal' | 'unauthorized';

/** What a failed call gives the renderer: a code to branch on and a message to show as it is. */
export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
}

export type ApiReply<T> = { ok: true; result: T } | { ok: false; error: ApiErrorBody };

export type JobKind = 'import' | 'classify' | 'train' | 'evaluate';

export type ApiEvent =
  | { type: 'job.progress'; jobId: string; kind: JobKind; done: number; total: number; message: string }
  | { type: 'job.finished'; jobId: string; kind: JobKind; result: ImportResult | ClassifyResult | EvaluationReport | TrainingState }
  | { type: 'job.failed'; jobId: string; kind: JobKind; error: ApiErrorBody }
  /** Recordings, predictions or annotations changed: lists should refresh. */
  | { type: 'library.changed' }
  /** One recording of a running classification has its predictions stored: its row can show them before the job ends. */
  | { type: 'recording.classified'; recordingId: number }
  /** The training run's state changed (a batch, an epoch, its end): the whole state, so a reopened view needs nothing else. */
  | { type: 'training.state'; state: TrainingState }
  /** Models were added, renamed, deleted, or the active one changed. */
  | { type: 'models.changed' };
