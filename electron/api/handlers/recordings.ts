import { statSync } from 'node:fs';
import { basename } from 'node:path';
import {
  annotationCountsByRecording,
  getModelById,
  getRecording,
  iteratePredictions,
  latestRuns,
  listLibraryFolders,
  listRecordings,
  mergeRuns,
  recordingsAnnotatedAs,
  type LatestRun,
  type Recording,
} from '../../store/index.ts';
import type { SignalSource } from '../../audio/signal-source.ts';
import { meanOverSpeech, NO_SPEECH } from '../../shared/outcomes.ts';
import type { ApiHandlers, ApiInput, RecordingSummary } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';
import { ApiError } from '../transport/errors.ts';
import { computePeaks, computeSpectrogram, computeSpectrogramTile } from '../services/recordings/signal-views.ts';

const FLOAT32_SLACK = 1e-6;

/**
 * Whether the file is still there as imported. Size only, from one stat: hashing every file on
 * every list would read the whole library; an edit that keeps the size is caught when the file is
 * classified (its hash is checked before predictions are stored).
 */
function available(recording: Recording): boolean {
  try {
    const stats = statSync(recording.path);
    return stats.isFile() && stats.size === recording.sizeBytes;
  } catch {
    return false;
  }
}

function latestOf(run: LatestRun | undefined): RecordingSummary['latest'] {
  if (!run || run.mean.length === 0) return null;
  let top = 0;
  for (let k = 1; k < run.mean.length; k++) if (run.mean[k] > run.mean[top]) top = k;
  return { label: run.noSpeech ? NO_SPEECH : run.labels[top], confidence: run.mean[top], modelName: run.modelName, at: run.at };
}

function summary(recording: Recording, latest: LatestRun | undefined, annotationCount: number): RecordingSummary {
  return {
    id: recording.id,
    path: recording.path,
    name: basename(recording.path),
    format: recording.format,
    durationSec: recording.durationSec,
    sampleRate: recording.sampleRate,
    channels: recording.channels,
    latest: latestOf(latest),
    annotationCount,
    available: available(recording),
    warnings: latest?.warnings ?? [],
  };
}

/** Recordings of the library (files under its folders) that pass the filter, by path. */
function listSummaries(c: ServiceContext, filter: ApiInput<'recordings.list'>): RecordingSummary[] {
  const folders = listLibraryFolders(c.db);
  const latest = latestRuns(c.db);
  const counts = annotationCountsByRecording(c.db, { sessionId: filter.sessionId });
  const annotatedAs = filter.label === undefined ? undefined : recordingsAnnotatedAs(c.db, filter.label, { sessionId: filter.sessionId });
  const search = filter.search?.trim().toLowerCase();
  const out: RecordingSummary[] = [];
  for (const recording of listRecordings(c.db, { sessionId: filter.sessionId })) {
    if (!c.paths.listed(recording.path, folders)) continue;
    if (search && !recording.path.toLowerCase().includes(search)) continue;
    const top = latestOf(latest.get(recording.id));
    // A label matches the latest prediction or any annotation, so a filter finds both kinds of evidence.
    if (filter.label !== undefined && top?.label !== filter.label && !annotatedAs?.has(recording.id)) continue;
    // Probabilities are stored as float32: a mean of exactly 0.8 reads back a hair below it and must still pass 0.8.
    if (filter.minConfidence !== undefined && !(top && top.confidence >= filter.minConfidence - FLOAT32_SLACK)) continue;
    out.push(summary(recording, latest.get(recording.id), counts.get(recording.id) ?? 0));
  }
  return out;
}

function recordingOrThrow(c: ServiceContext, id: number): Recording {
  const recording = getRecording(c.db, id);
  if (!recording) throw new ApiError('not_found', `no recording with id ${id}`);
  return recording;
}

async function decoded(c: ServiceContext, id: number): Promise<SignalSource> {
  return c.decoded.get(c.paths.readablePath(recordingOrThrow(c, id).path));
}

export function recordingHandlers(
  c: ServiceContext,
): Pick<ApiHandlers, 'recordings.list' | 'recordings.get' | 'recordings.peaks' | 'recordings.spectrogram' | 'recordings.predictions'> {
  return {
    'recordings.list': (filter) => listSummaries(c, filter),
    'recordings.get': ({ id }) => {
      const recording = recordingOrThrow(c, id);
      return summary(recording, latestRuns(c.db).get(id), annotationCountsByRecording(c.db).get(id) ?? 0);
    },
    'recordings.peaks': async ({ id, points, startSec, endSec }) => computePeaks(await decoded(c, id), points, startSec, endSec),
    'recordings.spectrogram': async ({ id, startSec, endSec, columns }) => {
      const signal = await decoded(c, id);
      return columns === undefined ? computeSpectrogram(signal, c.extractor, startSec, endSec) : computeSpectrogramTile(signal, c.extractor, startSec, endSec, columns);
    },
    'recordings.predictions': ({ id, modelId }) => {
      recordingOrThrow(c, id);
      const model = modelId === undefined ? c.model.stored : getModelById(c.db, modelId);
      if (!model) throw new ApiError('not_found', `no model with id ${modelId}`);
      const windows = mergeRuns(iteratePredictions(c.db, { recordingId: id, modelId: model.id }));
      return {
        recordingId: id,
        model: { id: model.id, name: model.name, version: model.version },
        labels: model.labels,
        windows,
        mean: meanOverSpeech(windows),
      };
    },
  };
}
