import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../electron/api/transport/contract.ts';
import { bundledModelDir } from '../../electron/ml/model-location.ts';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import { NO_SPEECH } from '../../electron/shared/outcomes.ts';
import { queryPredictions } from '../../electron/store/index.ts';
import { addClips, apiFixture } from '../helpers/api-fixtures.ts';

// The bundled model may be untrained: these tests check what is stored and reported, not what it predicts.
const f = await apiFixture('ser-api-classify-');
// 2 s and 3 s clips give one window each; a 4 s clip gives two (0-3 s and the tail window 1-4 s).
await addClips(f, 'three', [
  { frequency: 300, seconds: 2 },
  { frequency: 600, seconds: 3 },
  { frequency: 900, seconds: 4 },
]);
const three = await f.call('recordings.list', { search: 'three' });

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const jobEvents = (jobId: string) => f.log.events.filter((e) => 'jobId' in e && e.jobId === jobId);

describe('classify.start', () => {
  it('classifies in the background with progress events and stores every window under one run', async () => {
    const { jobId } = await f.call('classify.start', { recordingIds: three.map((r) => r.id) });
    const end = await f.log.end(jobId, 120_000);
    expect(end).toEqual({ type: 'job.finished', jobId, kind: 'classify', result: { classified: 3, failed: [] } });
    const progress = jobEvents(jobId).filter((e): e is Extract<ApiEvent, { type: 'job.progress' }> => e.type === 'job.progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((p) => p.kind === 'classify' && p.total === 3)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: 3, message: 'clip-002.wav' });
    expect(progress.map((p) => p.done)).toEqual([...progress.map((p) => p.done)].sort((a, b) => a - b));

    const rows = queryPredictions(f.db, { runId: queryPredictions(f.db)[0].runId });
    expect(rows.map((r) => [r.recordingId, r.startSec, r.endSec])).toEqual([
      [three[0].id, 0, 2],
      [three[1].id, 0, 3],
      [three[2].id, 0, 3],
      [three[2].id, 1, 4],
    ]);
    for (const row of rows) {
      expect(row.labels).toEqual([...EMOTIONS]);
      expect(sum(row.probabilities)).toBeCloseTo(1, 4);
    }
    expect(f.log.events.at(-1)).toEqual({ type: 'library.changed' });
  });

  it('announces each recording as soon as its predictions are stored, before the job ends', () => {
    const started = f.log.events.findIndex((e) => e.type === 'job.progress' && e.kind === 'classify');
    const finished = f.log.events.findIndex((e) => e.type === 'job.finished' && e.kind === 'classify');
    const classified = f.log.events.slice(started, finished + 1).filter((e) => e.type === 'recording.classified');
    expect(classified).toEqual(three.map((r) => ({ type: 'recording.classified', recordingId: r.id })));
  });

  it('gives the timeline and the latest result of each recording', async () => {
    const predictions = await f.call('recordings.predictions', { id: three[2].id });
    expect(predictions.labels).toEqual([...EMOTIONS]);
    expect(predictions.windows.map((w) => [w.startSec, w.endSec])).toEqual([
      [0, 3],
      [1, 4],
    ]);
    expect(predictions.mean).toHaveLength(8);
    expect(sum(predictions.mean)).toBeCloseTo(1, 4);
    const listed = await f.call('recordings.get', { id: three[2].id });
    const top = Math.max(...predictions.mean);
    // A steady tone holds no speech: the latest result says so, with the mean of all its windows.
    expect(predictions.windows.map((w) => w.speech)).toEqual([0, 0]);
    expect(listed.latest).toMatchObject({ label: NO_SPEECH, modelName: 'ser-cnn' });
    expect(listed.latest!.confidence).toBeCloseTo(top, 5);
  });

  it('classifies a stretch of one recording, replacing only that part of its timeline', async () => {
    const id = three[2].id;
    const before = await f.call('recordings.predictions', { id });
    const { jobId } = await f.call('classify.start', { recordingIds: [id], startSec: 0.5, endSec: 2 });
    expect(await f.log.end(jobId, 120_000)).toMatchObject({ type: 'job.finished', result: { classified: 1, failed: [] } });
    const after = await f.call('recordings.predictions', { id });
    // The stretch's one window (0.5-2 s, shorter than the model's 3 s) overlaps both old windows, so it alone remains.
    expect(after.windows.map((w) => [w.startSec, w.endSec])).toEqual([[0.5, 2]]);
    expect(after.windows[0].probabilities).not.toEqual(before.windows[0].probabilities);
  });

  it('refuses unknown recordings before starting', async () => {
    expect(await f.dispatch('classify.start', { recordingIds: [424242] })).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'no recording with id 424242' },
    });
  });
});

describe('jobs.cancel', () => {
  it('stops a classification, which keeps the recordings it stored before', async () => {
    // More windows than one batch of 32, so results arrive in parts and the cancel lands between them.
    await addClips(f, 'many', Array.from({ length: 70 }, (_, i) => ({ frequency: 205 + 10 * i, seconds: 3 })));
    const many = await f.call('recordings.list', { search: 'many' });
    expect(many).toHaveLength(70);
    const { jobId } = await f.call('classify.start', { recordingIds: many.map((r) => r.id) });
    await f.log.next((e): e is ApiEvent => e.type === 'job.progress' && e.jobId === jobId && e.done > 0, 120_000);
    await f.call('jobs.cancel', { jobId });
    const end = await f.log.end(jobId, 120_000);
    expect(end).toMatchObject({ type: 'job.failed', kind: 'classify', error: { code: 'cancelled' } });
    const ids = new Set(many.map((r) => r.id));
    const stored = new Set(queryPredictions(f.db, {}, { limit: 100_000, offset: 0 }).filter((r) => ids.has(r.recordingId)).map((r) => r.recordingId));
    expect(stored.size).toBeGreaterThan(0);
    expect(stored.size).toBeLessThan(70);
    expect(await f.dispatch('jobs.cancel', { jobId })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});

// Valid metadata, but no weights: only the worker, loading the network, finds out.
const broken = await apiFixture('ser-api-broken-model-', {
  modelDir: (dir) => {
    const model = join(dir, 'model');
    mkdirSync(model);
    for (const name of ['metadata.json', 'model.json']) copyFileSync(join(bundledModelDir(), name), join(model, name));
    return model;
  },
});

describe('a model that cannot be loaded', () => {
  it('leaves the API working, says why in app.info, and fails classifications with that reason', async () => {
    const info = await broken.call('app.info', {});
    expect(info.backend).toBe('Unavailable: the model could not be loaded');
    expect(info.backendDetails).toMatch(/^the model could not be loaded: .*weights\.bin is missing/);
    expect(info.model.name).toBe('ser-cnn');
    await addClips(broken, 'clips', [{ frequency: 440, seconds: 1 }]);
    const [clip] = await broken.call('recordings.list', {});
    const { jobId } = await broken.call('classify.start', { recordingIds: [clip.id] });
    expect(await broken.log.end(jobId)).toMatchObject({ type: 'job.failed', error: { code: 'unavailable', message: expect.stringContaining('weights.bin is missing') } });
  });
});
