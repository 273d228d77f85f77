/**
 * The app's training run: one at a time, in the training engine's worker, into a new user model
 * folder. Its whole state is kept here and sent as 'training.state' events (at most a few a
 * second, every epoch and every change of status at once), so a window opened mid-run, or after
 * it, shows the same curves. A cancelled run keeps its best epoch as a model.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_FOLDS, type SplitSpec } from '../../../ml/splits.ts';
import { checkpointDirOf, type TrainingEvent, type TrainingResult } from '../../../ml/train.ts';
import { startTraining } from '../../../ml/training-job.ts';
import type { ServiceContext } from '../../context.ts';
import type { ApiHandlers, InterruptedRun, TrainingState } from '../../transport/contract.ts';
import { ApiError, fromEngine } from '../../transport/errors.ts';
import type { JobContext } from '../jobs/jobs.ts';
import { interruptedRuns, readRunFile, removeRunFile, writeRunFile, type RunFile } from './interrupted-runs.ts';

export type TrainingRequest = Parameters<ApiHandlers['training.start']>[0];

/** Of a fine-tune's few labels, the share that picks the epoch: two clips of a class give one to train on and one to watch. */
export const FINE_TUNE_VALIDATION_FRACTION = 1 / 3;

/** Fewer speakers cannot give a test speaker, a validation speaker and one to train on. */
export const MIN_SPEAKERS_FOR_SPEAKER_SPLIT = 3;

/**
 * The split asked for, where the data allow it. A speaker-independent split needs speakers; with
 * too few the run falls back to a random split and says so in its notes, its metadata and its
 * evaluation's protocol, rather than refusing a run the user can still learn from.
 */
export function chooseSplit(requested: TrainingRequest['split'], speakers: number, seed: number): { spec: SplitSpec; note?: string } {
  if (requested === 'random') return { spec: { protocol: 'random', seed } };
  if (requested === 'fine-tune') {
    return {
      spec: { protocol: 'random', seed, validationFraction: FINE_TUNE_VALIDATION_FRACTION, testFraction: 0 },
      note: 'a fine-tune on a few labels: a third of each class validates and none is kept for a test, so the model is measured on the held-out labels instead',
    };
  }
  if (speakers >= MIN_SPEAKERS_FOR_SPEAKER_SPLIT) return { spec: { protocol: 'speaker', seed, folds: Math.min(DEFAULT_FOLDS, speakers), fold: 1 } };
  return {
    spec: { protocol: 'random', seed },
    note:
      `a speaker-independent split needs at least ${MIN_SPEAKERS_FOR_SPEAKER_SPLIT} speakers and this data set names ${speakers}: ` +
      'a random stratified split is used instead, so the test figures are not speaker-independent',
  };
}

export class TrainingRunner {
  private state: TrainingState | null = null;
  private busy = false;

  constructor(
    private readonly c: ServiceContext,
    /** Minimum time between two batch-driven state events. */
    private readonly intervalMs = 250,
  ) {}

  /** The run in progress, else the last one. */
  current(): TrainingState | null {
    return this.state && structuredClone(this.state);
  }

  async start(input: TrainingRequest): Promise<{ jobId: string }> {
    return this.claim(async (reserved) => {
      const dataset = this.c.datasets.get(input.datasetId);
      const base = input.baseModel === undefined ? undefined : await this.c.models.get(input.baseModel);
      if (input.freezeBase && !base) throw new ApiError('invalid_input', 'freezing the base needs a base model to fine-tune');
      if (input.keepBaseClasses && !base) throw new ApiError('invalid_input', "keeping the base model's classes needs a base model to fine-tune");
      const { spec, note } = chooseSplit(input.split, dataset.report.speakers.length, input.seed);
      const { id, dir } = reserved(this.c.models.reserve(input.name));
      const run: RunFile = {
        name: input.name,
        datasetSource: dataset.report.source,
        config: {
          data: dataset.data,
          labels: input.labels,
          ...(input.keepBaseClasses && base ? { outputLabels: base.metadata.labels } : {}),
          split: spec,
          name: input.name,
          seed: input.seed,
          epochs: input.epochs,
          patience: input.patience,
          augment: input.augment,
          base: base?.dir,
          freezeBase: input.freezeBase,
          minClipsPerLabel: dataset.minClipsPerLabel,
        },
      };
      await mkdir(dir, { recursive: true });
      await writeRunFile(dir, run);
      return this.launch(run, id, dir, note ? [note] : [], false);
    });
  }

  /** Continues an interrupted run from its last finished epoch, in its own folder. */
  async resume(id: string): Promise<{ jobId: string }> {
    return this.claim(async (reserved) => {
      const found = (await this.interrupted()).find((r) => r.id === id);
      if (!found) throw new ApiError('not_found', `no interrupted training run "${id}"`);
      if (!found.resumable) throw new ApiError('conflict', `"${found.name}" cannot resume: ${found.reason}; discard it`);
      const { dir } = reserved({ id, dir: this.c.models.reserveExisting(id) });
      return this.launch(await readRunFile(dir), id, dir, [`resumed after epoch ${found.epochsDone}`], true);
    });
  }

  /**
   * Marks the runner busy at once (so a second start cannot slip in while this one awaits), then prepares the run;
   * when preparing fails, the runner is free again and the folder it reserved is released.
   */
  private async claim(prepare: (reserved: <R extends { id: string }>(r: R) => R) => Promise<{ jobId: string }>): Promise<{ jobId: string }> {
    if (this.busy) {
      const running = this.state?.status === 'preparing' || this.state?.status === 'running' ? ` ("${this.state.name}")` : '';
      throw new ApiError('conflict', `a training run is in progress${running}: wait for it or cancel it`);
    }
    this.busy = true;
    let reservedId: string | null = null;
    try {
      return await prepare((r) => ((reservedId = r.id), r));
    } catch (err) {
      this.busy = false;
      if (reservedId !== null) this.c.models.release(reservedId);
      throw err;
    }
  }

  async discard(id: string): Promise<void> {
    if (!(await this.interrupted()).some((r) => r.id === id)) throw new ApiError('not_found', `no interrupted training run "${id}"`);
    await rm(join(this.c.models.modelsDir, id), { recursive: true, force: true });
  }

  /** Runs the app was stopped in the middle of (not the one in progress). */
  interrupted(): Promise<InterruptedRun[]> {
    return interruptedRuns(this.c.models.modelsDir, (id) => !this.c.models.isReserved(id));
  }

  private launch(run: RunFile, id: string, dir: string, notes: string[], resume: boolean): { jobId: string } {
    const jobId = randomUUID();
    this.state = {
      jobId,
      status: 'preparing',
      name: run.name,
      history: [],
      bestEpoch: 0,
      current: null,
      features: null,
      notes,
      modelId: null,
      evaluationId: null,
      error: null,
    };
    this.emit();
    this.c.jobs.startWithId(jobId, 'train', (job) => this.run(run, id, dir, resume, job).finally(() => (this.busy = false)));
    return { jobId };
  }

  private async run(run: RunFile, id: string, dir: string, resume: boolean, job: JobContext): Promise<TrainingState> {
    const state = this.state!;
    const throttle = this.throttle();
    const training = startTraining(
      {
        ...run.config,
        out: dir,
        resume,
        cacheDir: this.c.cacheDir,
        wasmDir: this.c.wasmDir,
        ...(this.c.dbFile ? { db: this.c.dbFile } : {}),
      },
      { onEvent: (event) => this.apply(state, event, job, throttle) },
    );
    job.signal.addEventListener('abort', () => training.cancel(), { once: true });
    let result: TrainingResult;
    try {
      result = await training.result;
    } catch (err) {
      throttle.cancel();
      // A new run's folder holds nothing worth keeping; a resumed one keeps its checkpoint for another try (or a discard).
      if (!resume) await rm(dir, { recursive: true, force: true });
      this.c.models.release(id);
      state.status = 'failed';
      state.current = null;
      state.error = (err as Error).message;
      this.emit();
      throw fromEngine(err);
    }
    throttle.cancel();
    await this.finish(state, result, run, id, dir);
    return structuredClone(state);
  }

  /** Registers what the run saved (the model, its test evaluation) and publishes the final state. */
  private async finish(state: TrainingState, result: TrainingResult, run: RunFile, id: string, dir: string): Promise<void> {
    try {
      if (result.modelDir === null) await rm(dir, { recursive: true, force: true });
      else {
        // A run the user ended (or that ended by itself) is over: only a crash leaves one to resume.
        await rm(checkpointDirOf(dir), { recursive: true, force: true });
        await removeRunFile(dir);
      }
    } finally {
      this.c.models.release(id);
    }
    state.status = result.status;
    state.history = result.history;
    state.bestEpoch = result.bestEpoch;
    state.current = null;
    state.notes = [...new Set([...state.notes, ...result.notes])];
    if (result.modelDir !== null) {
      state.modelId = id;
      if (result.test) {
        const report = await this.c.evaluations.add(
          { modelId: id, modelName: run.name, datasetSource: run.datasetSource, protocol: `held-out test clips of ${result.split.description}` },
          result.test,
          result.testPredictions.map((p) => p.path),
        );
        state.evaluationId = report.evaluationId;
      }
      this.c.events.emit({ type: 'models.changed' });
    }
    this.emit();
  }

  private apply(state: TrainingState, event: TrainingEvent, job: JobContext, throttle: ReturnType<TrainingRunner['throttle']>): void {
    switch (event.type) {
      case 'note':
        state.notes.push(event.message);
        break;
      case 'features':
        state.features = { done: event.done, total: event.total };
        job.progress(event.done, event.total, 'features');
        break;
      case 'batch': {
        const { epoch, epochs, batch, batches, loss, accuracy, etaSec } = event;
        const starting = state.status !== 'running';
        state.status = 'running';
        state.current = { epoch, epochs, batch, batches, loss, accuracy, etaSec };
        if (starting) break; // a change of status goes out at once
        throttle.request();
        return;
      }
      case 'epoch': {
        const { epoch, epochs, loss, accuracy, valLoss, valAccuracy, seconds, bestEpoch, etaSec } = event;
        state.history.push({ epoch, loss, accuracy, valLoss, valAccuracy, seconds });
        state.bestEpoch = bestEpoch;
        if (state.current) state.current = { ...state.current, etaSec };
        job.progress(epoch, epochs, `epoch ${epoch} of ${epochs}`);
        break;
      }
    }
    throttle.cancel();
    this.emit();
  }

  private emit(): void {
    if (this.state) this.c.events.emit({ type: 'training.state', state: structuredClone(this.state) });
  }

  /** Leading and trailing: the first request goes out at once, then at most one per interval, and the latest is never lost. */
  private throttle() {
    let last = 0;
    let timer: NodeJS.Timeout | null = null;
    const send = () => {
      timer = null;
      last = Date.now();
      this.emit();
    };
    return {
      request: () => {
        const wait = last + this.intervalMs - Date.now();
        if (wait <= 0) send();
        else timer ??= setTimeout(send, wait);
      },
      cancel: () => {
        if (timer) clearTimeout(timer);
        timer = null;
        last = Date.now();
      },
    };
  }
}
