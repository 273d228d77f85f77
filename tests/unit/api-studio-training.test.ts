/**
 * The model workshop through the API on generated clips: a data set inspected, a small model
 * fine-tuned in the training worker with live state events, registered with its test evaluation,
 * evaluated again, exported as CSV, made active and used; a cancelled run keeps its best epoch.
 */
import { parse } from 'csv-parse/sync';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ApiEvent, EvaluationReport, TrainingState } from '../../electron/api/transport/contract.ts';
import { checkpointDirOf } from '../../electron/ml/train.ts';
import { queryPredictions } from '../../electron/store/index.ts';
import { apiFixture } from '../helpers/api-fixtures.ts';
import { writeToyDataset } from '../helpers/toy-data.ts';
import { writeToyModel } from '../helpers/toy-model.ts';

const f = await apiFixture('ser-api-studio-train-');
const library = join(f.dir, 'library');
// Tones in two bands and white noise, 20 clips each over 4 speakers: the speaker split holds one speaker out for testing.
const toy = writeToyDataset(join(library, 'toy'), { classes: ['low', 'high', 'noise'], clipsPerClass: 20, speakers: 4 });
await writeToyModel(join(library, 'toy-base'), 'toy base', ['high', 'low', 'noise']);
const added = await f.call('library.add', { path: library });
await f.log.end(added.jobId, 120_000);
const base = await f.call('models.import', { path: join(library, 'toy-base') });

const stateEvents = (jobId: string) =>
  f.log.events.filter((e): e is Extract<ApiEvent, { type: 'training.state' }> => e.type === 'training.state' && e.state.jobId === jobId).map((e) => e.state);

async function finished<T>(jobId: string): Promise<T> {
  const end = await f.log.end(jobId, 300_000);
  if (end.type !== 'job.finished') throw new Error(`job failed: ${end.error.code}: ${end.error.message}`);
  return end.result as T;
}

describe('datasets.inspect', () => {
  it('counts clips per label, speaker and gender of a folder-per-label set and lists the file it cannot read', async () => {
    const folder = join(library, 'by-folder');
    const clips = writeToyDataset(join(f.dir, 'scratch'), { classes: ['low', 'noise'], clipsPerClass: 3 });
    for (const { path, label } of clips.files) {
      mkdirSync(join(folder, label), { recursive: true });
      writeFileSync(join(folder, label, path.split('/').pop()!), readFileSync(path));
    }
    writeFileSync(join(folder, 'noise', 'broken.wav'), 'RIFF, but not really');
    const report = await f.call('datasets.inspect', { source: { kind: 'folder', path: folder }, minClipsPerLabel: 3 });
    expect(report.convention).toBe('folders');
    expect(report.clips).toBe(6);
    expect(report.labels).toEqual([
      { label: 'low', clips: 3, tooFew: false },
      { label: 'noise', clips: 3, tooFew: false },
    ]);
    expect(report.speakers).toEqual([]);
    expect(report.genders).toEqual([{ gender: 'unknown', clips: 6, speakers: 0 }]);
    expect(report.rejected).toHaveLength(1);
    expect(report.rejected[0].path).toBe(join(folder, 'noise', 'broken.wav'));
    expect(report.durations?.totalSec).toBeCloseTo(6, 3);
  });

  it('refuses a folder outside the library', async () => {
    const reply = await f.dispatch('datasets.inspect', { source: { kind: 'folder', path: join(f.dir, 'scratch') } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden_path' } });
  });
});

describe('training.start', () => {
  let report: Awaited<ReturnType<typeof inspectToy>>;
  let trained: TrainingState;
  const inspectToy = () => f.call('datasets.inspect', { source: { kind: 'folder', path: toy.dir, labelsCsv: toy.csv } });

  it('trains in its worker with state events, registers the model and its test evaluation', async () => {
    report = await inspectToy();
    expect(report.clips).toBe(60);
    expect(report.speakers.map((s) => [s.speaker, s.gender, s.clips])).toEqual([
      ['1', 'male', 15],
      ['2', 'female', 15],
      ['3', 'male', 15],
      ['4', 'female', 15],
    ]);
    const { jobId } = await f.call('training.start', { datasetId: report.datasetId, name: 'Toy tones', baseModel: base.id, epochs: 20, patience: 8, augment: 1, seed: 1 });
    trained = await finished<TrainingState>(jobId);
    expect(trained.status).toBe('completed');
    expect(trained.modelId).toBe('toy-tones');
    expect(trained.notes.some((n) => /speaker fold 1 of 4/.test(n))).toBe(true);

    const states = stateEvents(jobId);
    const lengths = states.map((s) => s.history.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => a - b));
    expect(new Set(lengths).size).toBe(trained.history.length + 1); // 0, then one more per epoch
    expect(states.some((s) => s.status === 'running' && s.current !== null)).toBe(true);
    expect(states.at(-1)).toEqual(trained);
    expect(await f.call('training.state', {})).toEqual(trained);

    const entry = (await f.call('models.list', {})).find((m) => m.id === 'toy-tones');
    expect(entry).toMatchObject({ name: 'Toy tones', labels: ['high', 'low', 'noise'], trained: true, bundled: false, active: false });
    expect(Number(entry?.metrics.test_accuracy)).toBeGreaterThanOrEqual(0.95);
    expect(entry?.provenance.split).toBe('speaker fold 1 of 4 (seed 1)');
    expect(entry?.accuracy).toBe(`${(100 * Number(entry?.metrics.test_accuracy)).toFixed(0)}% on unseen speakers`);
    expect(existsSync(checkpointDirOf(join(f.dir, 'models', 'toy-tones')))).toBe(false);

    const [evaluation] = await f.call('evaluations.list', {});
    expect(evaluation.evaluationId).toBe(trained.evaluationId);
    expect(evaluation).toMatchObject({ modelId: 'toy-tones', protocol: 'held-out test clips of speaker fold 1 of 4 (seed 1)', clips: 15 });
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(evaluation.speakers).toHaveLength(1);
  });

  it('evaluates a model on every clip of a data set and exports the evaluation as CSV', async () => {
    const { jobId } = await f.call('evaluate.start', { modelId: 'toy-tones', datasetId: report.datasetId });
    const evaluation = await finished<EvaluationReport>(jobId);
    expect(evaluation.clips).toBe(60);
    expect(evaluation.protocol).toMatch(/^every clip of the data set/);
    // Trained on fold 1 of 4: every speaker but the one it was tested on trained it or chose its epoch.
    const overlap = evaluation.trainingOverlap!;
    expect([overlap.clips, overlap.speakersHeldOut, overlap.trainSpeakerClips + overlap.validationSpeakerClips]).toEqual([60, true, 45]);
    expect([...overlap.trainSpeakers, ...overlap.validationSpeakers].length).toBe(3);
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(60);
    expect(evaluation.speakers.map((s) => s.speaker)).toEqual(['1', '2', '3', '4']);
    expect((await f.call('evaluations.list', {})).map((e) => e.evaluationId)).toContain(evaluation.evaluationId);

    const target = join(library, 'evaluation.csv');
    const written = await f.call('evaluations.export', { evaluationId: evaluation.evaluationId, path: target });
    const rows = parse(readFileSync(target, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(written.rows).toBe(rows.length);
    const confusion = evaluation.labels.map((label) => evaluation.labels.map((other) => Number(rows.find((r) => r.label === label)?.[`predicted_${other}`])));
    expect(confusion).toEqual(evaluation.confusion);
    expect((await f.dispatch('evaluations.export', { evaluationId: evaluation.evaluationId, path: join(f.dir, 'outside.csv') })).ok).toBe(false);
  });

  it('makes the trained model active: app.info names it and a classification uses it', async () => {
    const entry = await f.call('models.setActive', { id: 'toy-tones' });
    expect(entry.active).toBe(true);
    expect((await f.call('app.info', {})).model).toMatchObject({ name: 'Toy tones', labels: ['high', 'low', 'noise'], trained: true, accuracy: entry.accuracy });
    const [recording] = await f.call('recordings.list', { search: 'low-0.wav' });
    const { jobId } = await f.call('classify.start', { recordingIds: [recording.id] });
    await finished(jobId);
    const predictions = await f.call('recordings.predictions', { id: recording.id });
    expect(predictions.model?.name).toBe('Toy tones');
    expect(predictions.labels).toEqual(['high', 'low', 'noise']);
    // 1 s at 0.5 s windows, hop 0.25 s.
    expect(predictions.windows.length).toBeGreaterThanOrEqual(3);
    expect(queryPredictions(f.db, { recordingId: recording.id }).every((r) => r.topLabel === 'low')).toBe(true);
  });

  it('cancels a run keeping its best epoch as a model, and refuses a second run meanwhile', async () => {
    // Asked for at the same moment (a double click): the first is accepted, the second refused while the first prepares.
    const [first, second] = await Promise.all([
      f.dispatch('training.start', { datasetId: report.datasetId, name: 'Toy cancelled', baseModel: base.id, split: 'random', epochs: 40, patience: 40, seed: 2 }),
      f.dispatch('training.start', { datasetId: report.datasetId, name: 'Second' }),
    ]);
    if (!first.ok) throw new Error(first.error.message);
    const { jobId } = first.result as { jobId: string };
    expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(existsSync(join(f.dir, 'models', 'second'))).toBe(false);
    await f.log.next((e): e is ApiEvent => e.type === 'training.state' && e.state.jobId === jobId && e.state.history.length >= 2, 300_000);
    await f.call('jobs.cancel', { jobId });
    const state = await finished<TrainingState>(jobId);
    expect(state.status).toBe('cancelled');
    expect(state.history.length).toBeGreaterThanOrEqual(2);
    expect(state.history.length).toBeLessThan(40);
    expect(state.modelId).toBe('toy-cancelled');
    expect(existsSync(join(f.dir, 'models', 'toy-cancelled', 'checkpoint'))).toBe(false);
    const entry = (await f.call('models.list', {})).find((m) => m.id === 'toy-cancelled');
    expect(entry?.provenance.notes).toMatch(/cancelled/);
  });

  it('trains on a labelling session: each annotated region becomes a clip, each recording a speaker', async () => {
    const session = await f.call('sessions.create', { name: 'regions' });
    const recordings = await f.call('recordings.list', { search: '/toy/clips/' });
    // The session's labels are the app's emotions: the regions are labelled with two of them.
    for (const [i, r] of recordings.slice(0, 4).entries()) {
      await f.call('annotations.add', { sessionId: session.id, recordingId: r.id, startSec: 0, endSec: 0.6, label: i % 2 ? 'calm' : 'angry' });
    }
    const [first] = recordings;
    await f.call('annotations.add', { sessionId: session.id, recordingId: first.id, startSec: 5, endSec: 6, label: 'calm' });
    const sessionReport = await f.call('datasets.inspect', { source: { kind: 'session', sessionId: session.id }, minClipsPerLabel: 1 });
    expect(sessionReport.source).toBe('labelling session “regions”');
    expect(sessionReport.clips).toBe(4);
    expect(sessionReport.labels).toEqual([
      { label: 'calm', clips: 2, tooFew: false },
      { label: 'angry', clips: 2, tooFew: false },
    ]);
    expect(sessionReport.speakers.map((s) => s.speaker).sort()).toEqual(recordings.slice(0, 4).map((r) => basename(r.path)).sort());
    expect(sessionReport.durations?.minSec).toBeCloseTo(0.6, 2);
    expect(sessionReport.rejected).toEqual([{ path: first.path, reason: expect.stringMatching(/lies outside the recording/) }]);
  });
});

describe('training.start with keepBaseClasses', () => {
  it("fine-tunes on two classes and keeps the base model's third", async () => {
    const report = await f.call('datasets.inspect', { source: { kind: 'folder', path: toy.dir, labelsCsv: toy.csv } });
    const { jobId } = await f.call('training.start', {
      datasetId: report.datasetId,
      name: 'Toy two of three',
      baseModel: base.id,
      labels: ['low', 'high'],
      keepBaseClasses: true,
      split: 'fine-tune',
      epochs: 2,
      patience: 2,
    });
    const state = await finished<TrainingState>(jobId);
    expect(state.notes.some((n) => n.startsWith('no clips of noise: kept as the model'))).toBe(true);
    const entry = (await f.call('models.list', {})).find((m) => m.id === state.modelId);
    expect(entry?.labels).toEqual(['high', 'low', 'noise']);
  });

  it('refuses it without a base model', async () => {
    const report = await f.call('datasets.inspect', { source: { kind: 'folder', path: toy.dir, labelsCsv: toy.csv } });
    const reply = await f.dispatch('training.start', { datasetId: report.datasetId, name: 'No base', keepBaseClasses: true });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_input', message: "keeping the base model's classes needs a base model to fine-tune" } });
  });
});
