import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { getRecording, hashFile, insertPredictions } from '../../store/index.ts';
import type { ClassifyItem } from '../services/classify/classify-protocol.ts';
import type { ApiHandlers, ApiInput, ClassifyResult } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';
import { ApiError } from '../transport/errors.ts';
import type { ItemOutcome } from '../services/classify/classifier-worker.ts';
import type { JobContext } from '../services/jobs/jobs.ts';

/** The files to classify, each checked against the library; unknown ids fail the call, unreadable ones the item. */
function plan(c: ServiceContext, input: ApiInput<'classify.start'>): { items: ClassifyItem[]; refused: ClassifyResult['failed'] } {
  const items: ClassifyItem[] = [];
  const refused: ClassifyResult['failed'] = [];
  for (const recordingId of new Set(input.recordingIds)) {
    const recording = getRecording(c.db, recordingId);
    if (!recording) throw new ApiError('not_found', `no recording with id ${recordingId}`);
    try {
      items.push({ recordingId, path: c.paths.readablePath(recording.path), startSec: input.startSec, endSec: input.endSec });
    } catch (err) {
      refused.push({ recordingId, error: (err as Error).message });
    }
  }
  if (input.startSec !== undefined && input.endSec !== undefined && input.endSec <= input.startSec) {
    throw new ApiError('invalid_input', `the stretch ${input.startSec}..${input.endSec} s is empty`);
  }
  return { items, refused };
}

/**
 * Runs the items through the model's worker and stores each recording's windows as they come,
 * one transaction per recording under one run id; the file's content hash is checked first, so a
 * file edited since import is reported rather than given predictions of the new content.
 */
async function classifyJob(c: ServiceContext, items: ClassifyItem[], refused: ClassifyResult['failed'], job: JobContext): Promise<ClassifyResult> {
  const result: ClassifyResult = { classified: 0, failed: [...refused] };
  const runId = randomUUID();
  // The model of the job's start, even if another one is made active meanwhile: predictions must name the model that made them.
  const { model, classifier } = c;
  const total = items.length;
  const paths = new Map(items.map((i) => [i.recordingId, i.path]));
  let done = 0;
  let stored = Promise.resolve();
  const store = async (outcome: ItemOutcome) => {
    const recording = getRecording(c.db, outcome.recordingId);
    if (!recording || outcome.error !== undefined || !outcome.windows) {
      result.failed.push({ recordingId: outcome.recordingId, error: outcome.error ?? 'the recording was removed while it was classified' });
      return;
    }
    try {
      const content = await hashFile(recording.path);
      insertPredictions(c.db, { model: model.spec, runId, files: [{ recording: { path: recording.path, ...content }, windows: outcome.windows, warnings: outcome.warnings }] });
      result.classified++;
      for (const warning of outcome.warnings ?? []) (result.warnings ??= []).push({ recordingId: outcome.recordingId, warning });
      c.events.emit({ type: 'recording.classified', recordingId: outcome.recordingId });
    } catch (err) {
      result.failed.push({ recordingId: outcome.recordingId, error: (err as Error).message });
    }
  };
  job.progress(0, total, 'loading the model');
  const { cancelled } = await classifier.classify(items, {
    signal: job.signal,
    onItem: (outcome) => {
      // In order, one at a time: the store's writes stay sequential and results keep the worker's order.
      stored = stored.then(() => store(outcome)).then(() => {
        done++;
        job.progress(done, total, basename(paths.get(outcome.recordingId) ?? ''));
      });
    },
  });
  await stored;
  if (cancelled) job.signal.throwIfAborted();
  return result;
}

export function classifyHandlers(c: ServiceContext): Pick<ApiHandlers, 'classify.start' | 'jobs.cancel' | 'jobs.status'> {
  return {
    'classify.start': (input) => {
      const { items, refused } = plan(c, input);
      return { jobId: c.jobs.start('classify', (job) => classifyJob(c, items, refused, job)) };
    },
    'jobs.cancel': ({ jobId }) => c.jobs.cancel(jobId),
    'jobs.status': ({ jobId }) => c.jobs.status(jobId),
  };
}
