import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import {
  addAnnotation,
  createLabelSet,
  createSession,
  deleteAnnotation,
  ensureModel,
  finishTrainingRun,
  getAnnotation,
  getLabelSet,
  getModel,
  getRecordingByPath,
  getSession,
  getTrainingRun,
  labelSetFor,
  labelSummary,
  listAnnotations,
  listModels,
  listRecordings,
  queryPredictions,
  recordEpoch,
  recordPredictions,
  RecordingChangedError,
  restoreAnnotation,
  setModelMetrics,
  startTrainingRun,
  storeRecording,
  updateAnnotation,
  updateSession,
  type StoreDb,
} from '../../electron/store/index.ts';
import { MODEL, probabilities, storeSequence, virtualRecording, window, predictFile } from '../helpers/store-fixtures.ts';

const { dir, next } = storeSequence('ser-store-data-');
let db: StoreDb;
beforeEach(() => {
  db = next();
});

const f32 = Math.fround;
const count = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get();

function recording(name: string) {
  return storeRecording(db, virtualRecording(name)).recording;
}

describe('label sets and sessions', () => {
  it('keeps a user-defined label set in its order and rejects repeated or blank classes', () => {
    const set = createLabelSet(db, 'valence', ['positive', 'neutral', 'negative']);
    expect(getLabelSet(db, 'valence')).toEqual(set);
    expect(() => createLabelSet(db, 'valence', ['x'])).toThrow('a label set named "valence" already exists');
    expect(() => createLabelSet(db, 'dup', ['a', 'b', 'a'])).toThrow('class "a" appears twice in the label set');
    expect(() => createLabelSet(db, 'blank', ['a', ' '])).toThrow('class names must not be blank');
    expect(labelSetFor(db, ['positive', 'neutral', 'negative'], 'other').id).toBe(set.id);
    expect(labelSetFor(db, ['negative', 'positive'], 'valence').name).toBe('valence (2)');
  });

  it('creates, finds and renames sessions with unique names', () => {
    const s = createSession(db, { name: 'Pilot, week 1', annotator: 'Zoë' });
    expect(s).toMatchObject({ name: 'Pilot, week 1', annotator: 'Zoë', labelSetId: getLabelSet(db, 'ravdess')!.id, notes: null });
    expect(() => createSession(db, { name: 'Pilot, week 1' })).toThrow('a session named "Pilot, week 1" already exists');
    expect(() => createSession(db, { name: 'x', labelSet: 'nope' })).toThrow('no label set named "nope"');
    const renamed = updateSession(db, s.id, { name: 'Pilot', notes: 'first pass' });
    expect(renamed).toMatchObject({ name: 'Pilot', annotator: 'Zoë', notes: 'first pass' });
    expect(renamed.updatedAt >= s.updatedAt).toBe(true);
  });
});

describe('annotations', () => {
  it('adds, updates, deletes and restores with stable ids for undo', () => {
    const session = createSession(db, { name: 's', annotator: 'ann' });
    const rec = recording('a.wav');
    const a = addAnnotation(db, { recordingId: rec.id, sessionId: session.id, startSec: 0.5, endSec: 2, label: 'happy', note: 'laughs, then "ok"' });
    expect(a).toMatchObject({ id: 1, startSec: 0.5, endSec: 2, label: 'happy', intensity: null, annotator: 'ann', note: 'laughs, then "ok"' });
    expect(listRecordings(db, { sessionId: session.id }).map((r) => r.id)).toEqual([rec.id]);

    const { before, after } = updateAnnotation(db, a.id, { label: 'sad', intensity: 'strong' });
    expect(before).toEqual(a);
    expect(after).toMatchObject({ id: a.id, label: 'sad', intensity: 'strong', startSec: 0.5 });
    // undo of the update
    expect(updateAnnotation(db, a.id, before).after).toMatchObject({ label: 'happy', intensity: null });

    const b = addAnnotation(db, { recordingId: rec.id, sessionId: session.id, startSec: 3, endSec: 4, label: 'calm' });
    const deleted = deleteAnnotation(db, b.id);
    expect(getAnnotation(db, b.id)).toBeUndefined();
    // a new annotation never takes the deleted id, so restoring it cannot collide
    const c = addAnnotation(db, { recordingId: rec.id, sessionId: session.id, startSec: 5, endSec: 6, label: 'angry' });
    expect(c.id).toBe(b.id + 1);
    expect(restoreAnnotation(db, deleted)).toEqual(deleted);
    expect(listAnnotations(db, { sessionId: session.id }).map((x) => x.id)).toEqual([a.id, b.id, c.id]);
    expect(() => restoreAnnotation(db, deleted)).toThrow(`annotation ${b.id} exists; nothing to restore`);
    expect(getSession(db, session.id)!.updatedAt >= c.updatedAt).toBe(true);
  });

  it('refuses labels outside the session label set, bad spans and bad intensities', () => {
    createLabelSet(db, 'valence', ['positive', 'negative']);
    const session = createSession(db, { name: 's', labelSet: 'valence' });
    const rec = recording('a.wav');
    const base = { recordingId: rec.id, sessionId: session.id, startSec: 0, endSec: 1, label: 'positive' };
    expect(() => addAnnotation(db, { ...base, label: 'happy' })).toThrow('"happy" is not a class of label set "valence" (positive, negative)');
    expect(() => addAnnotation(db, { ...base, startSec: 2, endSec: 1 })).toThrow('annotation span 2..1 s must satisfy 0 <= start < end');
    expect(() => addAnnotation(db, { ...base, endSec: Number.NaN })).toThrow(/must satisfy/);
    expect(() => addAnnotation(db, { ...base, intensity: 'loud' as never })).toThrow('intensity must be "normal" or "strong", got "loud"');
    expect(() => addAnnotation(db, { ...base, recordingId: 999 })).toThrow('no recording with id 999');
    expect(count('annotations')).toBe(0);
  });
});

describe('predictions', () => {
  it('records a batch with its recording and model, keeping top label and confidence', () => {
    const result = predictFile(db, {
      model: MODEL,
      runId: 'run-1',
      recording: virtualRecording('a.wav'),
      windows: [window(0, 'angry', 0.7), window(1.5, 'sad', 0.55)],
    });
    expect(result).toMatchObject({ kind: 'added', inserted: 2 });
    const rows = queryPredictions(db, { modelId: result.modelId });
    expect(rows.map((r) => [r.path, r.startSec, r.endSec, r.topLabel, r.confidence, r.runId])).toEqual([
      ['/virtual/a.wav', 0, 3, 'angry', f32(0.7), 'run-1'],
      ['/virtual/a.wav', 1.5, 4.5, 'sad', f32(0.55), 'run-1'],
    ]);
    expect(rows[0].labels).toEqual([...EMOTIONS]);
    // stored as float32, exactly what a model's softmax produces
    expect(rows[0].probabilities).toEqual(EMOTIONS.map((e) => f32(probabilities('angry', 0.7)[e])));
    expect(rows[0].createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);

    // the same file again reuses its recording
    const again = predictFile(db, { model: MODEL, runId: 'run-2', recording: virtualRecording('a.wav'), windows: [window(0, 'calm', 0.9)] });
    expect(again).toMatchObject({ kind: 'unchanged', inserted: 1, recording: { id: result.recording.id } });
    expect(count('recordings')).toBe(1);
    expect(count('models')).toBe(1);
  });

  it('writes nothing of a batch that fails, not even its recording or model', () => {
    const bad = (windows: ReturnType<typeof window>[]) => () =>
      predictFile(db, { model: MODEL, runId: 'r', recording: virtualRecording('b.wav'), windows });
    const missing = { start: 3, end: 6, probabilities: { ...probabilities('calm', 0.5), sad: undefined as unknown as number } };
    expect(bad([window(0, 'calm', 0.5), missing])).toThrow('window 3..6 s: probability of "sad" must be a number in [0, 1], got undefined');
    expect(bad([{ start: 0, end: 3, probabilities: { ...probabilities('calm', 0.5), bored: 0 } }])).toThrow(
      'window 0..3 s has a probability for "bored", not a class of the model',
    );
    expect(bad([{ start: 2, end: 1, probabilities: probabilities('calm', 0.5) }])).toThrow('window 2..1 s must satisfy 0 <= start < end');

    // a file edited since import fails inside the transaction, after the model row was written
    storeRecording(db, virtualRecording('b.wav'));
    const edited = { ...virtualRecording('b.wav'), contentHash: 'new-content' };
    expect(() =>
      predictFile(db, { model: { ...MODEL, name: 'other' }, runId: 'r', recording: edited, windows: [window(0, 'calm', 0.5)] }),
    ).toThrow(RecordingChangedError);
    expect(count('predictions')).toBe(0);
    expect(listModels(db)).toEqual([]);
    // accepting the change records it against the updated recording
    const accepted = predictFile(db, { model: MODEL, runId: 'r', recording: edited, windows: [window(0, 'calm', 0.5)] }, { acceptChanges: true });
    expect(accepted.kind).toBe('updated');
    expect(getRecordingByPath(db, '/virtual/b.wav')!.contentHash).toBe('new-content');
  });

  it('refuses a model whose classes differ from the stored ones', () => {
    ensureModel(db, MODEL);
    expect(() => ensureModel(db, { ...MODEL, labels: ['a', 'b'] })).toThrow(
      `model "baseline" version 1.0 is stored with classes [${EMOTIONS.join(', ')}], not [a, b]; give the retrained model a new name or version`,
    );
    expect(ensureModel(db, { ...MODEL, version: '2.0', labels: ['a', 'b'] }).labels).toEqual(['a', 'b']);
    expect(getModel(db, 'baseline')!.version).toBe('2.0');
    expect(getModel(db, 'baseline', '1.0')!.labels).toEqual([...EMOTIONS]);
  });

  it('filters by model, session, label and confidence', () => {
    const m2 = { ...MODEL, name: 'retrained' };
    predictFile(db, { model: MODEL, runId: 'r1', recording: virtualRecording('a.wav'), windows: [window(0, 'angry', 0.9), window(1, 'angry', 0.4), window(2, 'sad', 0.8)] });
    predictFile(db, { model: MODEL, runId: 'r1', recording: virtualRecording('b.wav'), windows: [window(0, 'angry', 0.6)] });
    predictFile(db, { model: m2, runId: 'r2', recording: virtualRecording('a.wav'), windows: [window(0, 'angry', 0.95)] });
    const baseline = getModel(db, 'baseline')!.id;
    const session = createSession(db, { name: 's' });
    addAnnotation(db, { recordingId: getRecordingByPath(db, '/virtual/b.wav')!.id, sessionId: session.id, startSec: 0, endSec: 1, label: 'angry' });
    const pick = (filter: Parameters<typeof queryPredictions>[1]) => queryPredictions(db, filter).map((r) => `${r.modelName}:${r.path}@${r.startSec}`);
    expect(pick({ modelId: baseline, label: 'angry', minConfidence: 0.5 })).toEqual(['baseline:/virtual/a.wav@0', 'baseline:/virtual/b.wav@0']);
    expect(pick({ label: 'angry', minConfidence: 0.5 })).toEqual(['baseline:/virtual/a.wav@0', 'retrained:/virtual/a.wav@0', 'baseline:/virtual/b.wav@0']);
    expect(pick({ minConfidence: 0.9 })).toEqual(['baseline:/virtual/a.wav@0', 'retrained:/virtual/a.wav@0']);
    expect(pick({ sessionId: session.id })).toEqual(['baseline:/virtual/b.wav@0']);
    expect(pick({ runId: 'r2' })).toEqual(['retrained:/virtual/a.wav@0']);
    expect(queryPredictions(db, {}, { limit: 2, offset: 1 }).map((r) => r.startSec)).toEqual([1, 2]);
  });

  it('hashes and probes a real file when recording predictions for it', async () => {
    const file = join(dir, 'clip, "take 2".wav');
    writeFileSync(file, 'abc');
    const probe = async () => ({ format: 'wav', sampleRate: 16000, channels: 1, durationSec: 2.5 });
    const result = await recordPredictions(db, { model: MODEL, runId: 'cli', file, windows: [window(0, 'happy', 0.8)] }, { probe });
    expect(result.recording).toMatchObject({
      path: file,
      contentHash: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      sizeBytes: 3,
      format: 'wav',
      sampleRate: 16000,
      channels: 1,
      durationSec: 2.5,
    });
  });
});

describe('summary and training runs', () => {
  it('counts annotations and predictions per label in label-set order', () => {
    const session = createSession(db, { name: 's' });
    const a = recording('a.wav');
    const add = (label: string, startSec: number, endSec: number) => addAnnotation(db, { recordingId: a.id, sessionId: session.id, startSec, endSec, label });
    add('sad', 0, 1.5);
    add('sad', 2, 3);
    add('angry', 0, 0.25);
    const batch = predictFile(db, { model: MODEL, runId: 'r', recording: virtualRecording('a.wav'), windows: [window(0, 'sad', 0.6), window(1, 'sad', 0.8), window(2, 'happy', 0.5)] });
    const summary = labelSummary(db, { sessionId: session.id, modelId: batch.modelId });
    expect(summary.map((s) => s.label)).toEqual([...EMOTIONS]);
    const byLabel = Object.fromEntries(summary.map((s) => [s.label, s]));
    expect(byLabel.sad).toEqual({ label: 'sad', annotations: 2, annotatedSeconds: 2.5, predictedWindows: 2, meanConfidence: (f32(0.6) + f32(0.8)) / 2 });
    expect(byLabel.angry).toEqual({ label: 'angry', annotations: 1, annotatedSeconds: 0.25, predictedWindows: 0, meanConfidence: null });
    expect(byLabel.happy).toMatchObject({ annotations: 0, predictedWindows: 1, meanConfidence: f32(0.5) });
    expect(byLabel.calm).toEqual({ label: 'calm', annotations: 0, annotatedSeconds: 0, predictedWindows: 0, meanConfidence: null });
  });

  it('keeps a training run history epoch by epoch and its final state', () => {
    const model = ensureModel(db, MODEL);
    const run = startTrainingRun(db, { labelSetId: model.labelSetId, config: { lr: 0.001, batch: 32 } });
    expect(run).toMatchObject({ status: 'running', history: [], finalMetrics: null, finishedAt: null });
    recordEpoch(db, run.id, { epoch: 1, loss: 1.9, accuracy: 0.3 });
    recordEpoch(db, run.id, { epoch: 2, loss: 1.2, accuracy: 0.55 });
    expect(getTrainingRun(db, run.id)!.history).toEqual([
      { epoch: 1, loss: 1.9, accuracy: 0.3 },
      { epoch: 2, loss: 1.2, accuracy: 0.55 },
    ]);
    const done = finishTrainingRun(db, run.id, { status: 'completed', finalMetrics: { accuracy: 0.61 }, modelId: model.id });
    expect(done).toMatchObject({ status: 'completed', finalMetrics: { accuracy: 0.61 }, modelId: model.id, error: null });
    expect(done.finishedAt).not.toBeNull();
    expect(() => recordEpoch(db, run.id, { epoch: 3 })).toThrow(`training run ${run.id} has already completed`);
    const failed = finishTrainingRun(db, startTrainingRun(db, { labelSetId: model.labelSetId, config: {} }).id, { status: 'failed', error: 'out of memory' });
    expect(failed).toMatchObject({ status: 'failed', error: 'out of memory', finalMetrics: null });
  });

  it('stores a model evaluation only with a confusion matrix of its classes', () => {
    const model = ensureModel(db, { name: 'tiny', labels: ['a', 'b'] });
    expect(() => setModelMetrics(db, model.id, { confusion: [[1, 2, 3]] })).toThrow('confusion matrix must be 2 x 2, one row and column per class');
    expect(setModelMetrics(db, model.id, { confusion: [[5, 1], [2, 7]], macroF1: 0.8 }).metrics).toEqual({ confusion: [[5, 1], [2, 7]], macroF1: 0.8 });
  });
});
