import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { exportAnnotations } from '../../electron/export/annotations-csv.ts';
import { exportEvaluation } from '../../electron/export/evaluation-csv.ts';
import { classificationReport } from '../../electron/ml/classification-report.ts';
import { exportPredictions } from '../../electron/export/predictions-csv.ts';
import { exportSummary } from '../../electron/export/summary-csv.ts';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import {
  addAnnotation,
  addRecordingToSession,
  createSession,
  ensureModel,
  setModelMetrics,
  storeRecording,
  type StoreDb,
} from '../../electron/store/index.ts';
import { MODEL, probabilities, storeSequence, virtualRecording, window, predictFile } from '../helpers/store-fixtures.ts';

const { dir, next } = storeSequence('ser-export-reports-');
let db: StoreDb;
beforeEach(() => {
  db = next();
});

/** Parses a report into objects keyed by its header, every value as the text in the file. */
function read(file: string): Record<string, string>[] {
  return parse(readFileSync(file), { columns: true, relax_column_count: false });
}

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const TRICKY_NAME = 'dir, "quoted"/clip\nnew é 日本.wav';
const round6 = (x: number) => String(Math.round(x * 1e6) / 1e6);

describe('predictions report', () => {
  const seed = () => {
    predictFile(db, { model: MODEL, runId: 'run-1', recording: virtualRecording(TRICKY_NAME), windows: [window(0, 'angry', 0.7), window(1.5, 'sad', 0.5)] });
    predictFile(db, { model: MODEL, runId: 'run-1', recording: virtualRecording('=cmd.wav'), windows: [window(0, 'calm', 0.9, 2.25)] });
  };

  it('writes one row per window with every class probability, model, run and time', async () => {
    seed();
    const out = join(dir, 'windows.csv');
    expect(await exportPredictions(db, out)).toBe(3);
    const rows = read(out);
    expect(Object.keys(rows[0])).toEqual(['path', 'scope', 'start_s', 'end_s', 'top_label', 'confidence', 'speech_share', 'outcome', ...EMOTIONS.map((e) => `p_${e}`), 'model', 'model_version', 'run_id', 'predicted_at']);
    expect(rows.map((r) => [r.path, r.scope, r.start_s, r.end_s, r.top_label, r.confidence, r.model, r.model_version, r.run_id])).toEqual([
      [`/virtual/${TRICKY_NAME}`, 'window', '0', '3', 'angry', '0.7', 'baseline', '1.0', 'run-1'],
      [`/virtual/${TRICKY_NAME}`, 'window', '1.5', '4.5', 'sad', '0.5', 'baseline', '1.0', 'run-1'],
      ['/virtual/=cmd.wav', 'window', '0', '2.25', 'calm', '0.9', 'baseline', '1.0', 'run-1'],
    ]);
    for (const [row, top, p] of [[rows[0], 'angry', 0.7], [rows[1], 'sad', 0.5]] as const) {
      expect(EMOTIONS.map((e) => row[`p_${e}`])).toEqual(EMOTIONS.map((e) => round6(probabilities(top, p)[e])));
      expect(row.predicted_at).toMatch(ISO);
    }
  });

  it('says "uncertain" in the outcome column where the top probability is below the threshold given', async () => {
    seed();
    const out = join(dir, 'outcomes.csv');
    await exportPredictions(db, out);
    expect(read(out).map((r) => r.outcome)).toEqual(['angry', 'sad', 'calm']);
    await exportPredictions(db, out, { minConfidence: 0.6 });
    expect(read(out).map((r) => [r.top_label, r.outcome])).toEqual([
      ['angry', 'angry'],
      ['sad', 'uncertain'],
      ['calm', 'calm'],
    ]);
  });

  it('writes a file row with the mean of its windows, before its windows for scope both', async () => {
    seed();
    const out = join(dir, 'both.csv');
    expect(await exportPredictions(db, out, { scope: 'both' })).toBe(5);
    const rows = read(out);
    expect(rows.map((r) => `${r.scope} ${r.start_s}-${r.end_s} ${r.top_label}`)).toEqual([
      'file 0-4.5 angry',
      'window 0-3 angry',
      'window 1.5-4.5 sad',
      'file 0-2.25 calm',
      'window 0-2.25 calm',
    ]);
    const mean = (e: string) => (probabilities('angry', 0.7)[e] + probabilities('sad', 0.5)[e]) / 2;
    expect(EMOTIONS.map((e) => rows[0][`p_${e}`])).toEqual(EMOTIONS.map((e) => round6(mean(e))));
    expect(rows[0].confidence).toBe(round6(mean('angry')));

    const files = join(dir, 'files.csv');
    expect(await exportPredictions(db, files, { scope: 'file' })).toBe(2);
    expect(read(files)).toEqual([rows[0], rows[3]]);
  });

  it('unites the classes of models with different label sets, leaving absent ones empty', async () => {
    seed();
    const valence = { name: 'valence', labels: ['positive', 'negative'] };
    predictFile(db, { model: valence, runId: 'v', recording: virtualRecording('a.wav'), windows: [{ start: 0, end: 3, probabilities: { positive: 0.25, negative: 0.75 } }] });
    const out = join(dir, 'mixed.csv');
    await exportPredictions(db, out);
    const rows = read(out);
    expect(Object.keys(rows[0]).filter((k) => k.startsWith('p_'))).toEqual([...EMOTIONS, 'positive', 'negative'].map((l) => `p_${l}`));
    const last = rows.at(-1)!;
    expect([last.model, last.model_version, last.top_label, last.p_positive, last.p_negative, last.p_angry]).toEqual(['valence', '', 'negative', '0.25', '0.75', '']);

    const only = join(dir, 'only-valence.csv');
    const modelId = ensureModel(db, valence).id;
    expect(await exportPredictions(db, only, { filter: { modelId } })).toBe(1);
    expect(Object.keys(read(only)[0]).filter((k) => k.startsWith('p_'))).toEqual(['p_positive', 'p_negative']);
  });

  it('says "no speech" for windows without speech and leaves them out of the file mean', async () => {
    const silent = { ...window(0, 'angry', 0.9), speech: 0.05 };
    const spoken = { ...window(3, 'sad', 0.6), speech: 0.8 };
    predictFile(db, { model: MODEL, runId: 'r', recording: virtualRecording('mixed.wav'), windows: [silent, spoken] });
    predictFile(db, { model: MODEL, runId: 'r', recording: virtualRecording('hum.wav'), windows: [{ ...window(0, 'calm', 0.7), speech: 0 }] });
    const out = join(dir, 'speech.csv');
    await exportPredictions(db, out, { scope: 'both', minConfidence: 0.65 });
    const rows = read(out);
    expect(rows.map((r) => [r.path, r.scope, r.top_label, r.speech_share, r.outcome])).toEqual([
      // The file's mean is its one window with speech: sad at 0.6, below 0.65.
      ['/virtual/mixed.wav', 'file', 'sad', '0.425', 'uncertain'],
      ['/virtual/mixed.wav', 'window', 'angry', '0.05', 'no speech'],
      ['/virtual/mixed.wav', 'window', 'sad', '0.8', 'uncertain'],
      // No window with speech: the mean is over all of them, and the file has no speech either.
      ['/virtual/hum.wav', 'file', 'calm', '0', 'no speech'],
      ['/virtual/hum.wav', 'window', 'calm', '0', 'no speech'],
    ]);
    expect(EMOTIONS.map((e) => rows[0][`p_${e}`])).toEqual(EMOTIONS.map((e) => round6(probabilities('sad', 0.6)[e])));

    const summary = join(dir, 'speech-summary.csv');
    await exportSummary(db, summary);
    const summaryRows = read(summary);
    const labelRows = summaryRows.filter((r) => r.scope === 'label');
    const [mixed, hum] = ['mixed', 'hum'].map((name) => summaryRows.find((r) => r.path === `/virtual/${name}.wav`)!);
    expect([mixed.path, mixed.windows, mixed.speech_share, mixed.top_label, mixed.p_sad]).toEqual(['/virtual/mixed.wav', '2', '0.425', 'sad', '0.6']);
    expect([hum.path, hum.windows, hum.speech_share, hum.top_label]).toEqual(['/virtual/hum.wav', '1', '0', 'no speech']);
    // Only windows with speech top a label, and a recording without speech tops none.
    const byLabel = (label: string) => labelRows.find((r) => r.label === label)!;
    expect([byLabel('sad').windows, byLabel('sad').recordings]).toEqual(['1', '1']);
    expect([byLabel('angry').windows, byLabel('calm').windows, byLabel('calm').recordings]).toEqual(['0', '0', '0']);
  });
});

describe('annotations, summary and evaluation reports', () => {
  it('writes annotations with notes and paths read back exactly', async () => {
    const session = createSession(db, { name: 'Pilot, "wave" 2', annotator: 'Zoë' });
    const other = createSession(db, { name: 'other' });
    const rec = storeRecording(db, virtualRecording(TRICKY_NAME)).recording;
    const note = 'sighs, then says "fine"\nsecond line — ünïcødé';
    const a = addAnnotation(db, { recordingId: rec.id, sessionId: session.id, startSec: 0.125, endSec: 2.5, label: 'sad', intensity: 'strong', note });
    addAnnotation(db, { recordingId: rec.id, sessionId: other.id, startSec: 0, endSec: 1, label: 'calm', note: '-1 looks negative' });

    const out = join(dir, 'annotations.csv');
    expect(await exportAnnotations(db, out, { sessionId: session.id })).toBe(1);
    expect(read(out)).toEqual([
      {
        annotation_id: String(a.id),
        session: 'Pilot, "wave" 2',
        path: `/virtual/${TRICKY_NAME}`,
        start_s: '0.125',
        end_s: '2.5',
        label: 'sad',
        intensity: 'strong',
        annotator: 'Zoë',
        note,
        created_at: a.createdAt,
        updated_at: a.updatedAt,
      },
    ]);
    const all = join(dir, 'all-annotations.csv');
    expect(await exportAnnotations(db, all)).toBe(2);
    expect(read(all).map((r) => [r.session, r.note])).toEqual([
      ['Pilot, "wave" 2', note],
      ['other', "'-1 looks negative"],
    ]);
  });

  it("writes one row per recording (its latest run's mean per label) then one per label across the library", async () => {
    const session = createSession(db, { name: 's' });
    const audio = (durationSec: number) => ({ format: 'wav', sampleRate: 16000, channels: 1, durationSec });
    const a = { ...virtualRecording('a.wav'), audio: audio(4.5) };
    const b = { ...virtualRecording('b.wav'), audio: audio(3) };
    // run-1 is superseded by classifying a.wav again (run-2): only the latest run counts.
    predictFile(db, { model: MODEL, runId: 'run-1', recording: a, windows: [window(0, 'angry', 0.99)] });
    predictFile(db, { model: MODEL, runId: 'run-2', recording: a, windows: [window(0, 'happy', 0.8), window(1, 'sad', 0.6)] });
    predictFile(db, { model: MODEL, runId: 'run-1', recording: b, windows: [window(0, 'calm', 0.9)] });
    const c = storeRecording(db, virtualRecording('c.wav')).recording;
    const recA = storeRecording(db, a).recording;
    for (const r of [recA, storeRecording(db, b).recording, c]) addRecordingToSession(db, session.id, r.id);
    addAnnotation(db, { recordingId: recA.id, sessionId: session.id, startSec: 0, endSec: 1.5, label: 'happy' });
    addAnnotation(db, { recordingId: recA.id, sessionId: session.id, startSec: 2, endSec: 2.25, label: 'sad' });

    const out = join(dir, 'summary.csv');
    expect(await exportSummary(db, out, { sessionId: session.id })).toBe(3 + EMOTIONS.length);
    const rows = read(out);
    expect(Object.keys(rows[0])).toEqual(['scope', 'path', 'label', 'model', 'model_version', 'duration_s', 'windows', 'speech_share', 'top_label', 'recordings', 'annotations', 'annotated_s', ...EMOTIONS.map((e) => `p_${e}`)]);
    // Hand-computed: window(start, top, p) gives top p and each other class (1 - p) / 7.
    const meanA: Record<string, number> = Object.fromEntries(EMOTIONS.map((e) => [e, (0.2 / 7 + 0.4 / 7) / 2]));
    meanA.happy = (0.8 + 0.4 / 7) / 2;
    meanA.sad = (0.6 + 0.2 / 7) / 2;
    const meanB: Record<string, number> = Object.fromEntries(EMOTIONS.map((e) => [e, e === 'calm' ? 0.9 : 0.1 / 7]));
    const [rowA, rowB, rowC, ...labelRows] = rows;
    const probabilityCells = (row: Record<string, string>) => EMOTIONS.map((e) => row[`p_${e}`]);
    expect(rowA).toMatchObject({ scope: 'recording', path: '/virtual/a.wav', label: '', model: 'baseline', model_version: '1.0', duration_s: '4.5', windows: '2', top_label: 'happy', annotations: '2', annotated_s: '1.75' });
    expect(probabilityCells(rowA)).toEqual(EMOTIONS.map((e) => round6(meanA[e])));
    expect(rowB).toMatchObject({ scope: 'recording', path: '/virtual/b.wav', duration_s: '3', windows: '1', top_label: 'calm', annotations: '0', annotated_s: '0' });
    expect(probabilityCells(rowB)).toEqual(EMOTIONS.map((e) => round6(meanB[e])));
    // Never classified: listed, with nothing predicted.
    expect(rowC).toMatchObject({ scope: 'recording', path: '/virtual/c.wav', model: '', duration_s: '', windows: '0', top_label: '' });
    expect(probabilityCells(rowC)).toEqual(EMOTIONS.map(() => ''));

    expect(labelRows.map((r) => r.label)).toEqual([...EMOTIONS]);
    const byLabel = (label: string) => labelRows.find((r) => r.label === label)!;
    expect(byLabel('happy')).toMatchObject({ scope: 'label', path: '', windows: '1', recordings: '1', annotations: '1', annotated_s: '1.5', p_happy: round6((meanA.happy + meanB.happy) / 2), p_sad: '' });
    expect(byLabel('sad')).toMatchObject({ windows: '1', recordings: '0', annotations: '1', annotated_s: '0.25', p_sad: round6((meanA.sad + meanB.sad) / 2) });
    expect(byLabel('calm')).toMatchObject({ windows: '1', recordings: '1', annotations: '0', p_calm: round6((meanA.calm + 0.9) / 2) });
    expect(byLabel('angry')).toMatchObject({ windows: '0', recordings: '0', p_angry: round6((meanA.angry + meanB.angry) / 2) });
  });

  it('computes precision, recall and F1 per class from a confusion matrix', () => {
    const report = classificationReport(['a', 'b', 'c'], [[5, 1, 0], [2, 3, 1], [0, 0, 4]]);
    const expected = [
      ['a', 6, 5 / 7, 5 / 6, 10 / 13],
      ['b', 6, 0.75, 0.5, 0.6],
      ['c', 4, 0.8, 1, 8 / 9],
    ] as const;
    report.classes.forEach((c, i) => {
      const [label, support, precision, recall, f1] = expected[i];
      expect([c.label, c.support]).toEqual([label, support]);
      expect(c.precision).toBeCloseTo(precision, 12);
      expect(c.recall).toBeCloseTo(recall, 12);
      expect(c.f1).toBeCloseTo(f1, 12);
    });
    expect(report.accuracy).toBe(0.75);
    expect(report.macro.f1).toBeCloseTo((10 / 13 + 0.6 + 8 / 9) / 3, 12);
    expect(report.weighted.precision).toBeCloseTo((6 * (5 / 7) + 6 * 0.75 + 4 * 0.8) / 16, 12);
    // a class never predicted scores 0, as scikit-learn reports it
    expect(classificationReport(['x', 'y'], [[2, 0], [1, 0]]).classes[1]).toEqual({ label: 'y', support: 1, precision: 0, recall: 0, f1: 0 });
    expect(() => classificationReport(['x', 'y'], [[1, 0.5], [0, 1]])).toThrow('confusion matrix cells must be counts (non-negative integers)');
  });

  it("writes a model's evaluation with its confusion matrix", async () => {
    const model = ensureModel(db, { name: 'tiny', labels: ['a', 'b', 'c'] });
    const out = join(dir, 'evaluation.csv');
    await expect(exportEvaluation(db, out, { modelId: model.id })).rejects.toThrow('model "tiny" has no stored evaluation (no confusion matrix in its metrics)');
    setModelMetrics(db, model.id, { confusion: [[5, 1, 0], [2, 3, 1], [0, 0, 4]] });
    expect(await exportEvaluation(db, out, { modelId: model.id })).toBe(6);
    // Each row leads with the model (its store id and name), its recorded data (none here), the clips and when it was made.
    const lead = [String(model.id), 'tiny', '', '16', model.createdAt];
    expect(parse(readFileSync(out))).toEqual([
      ['model_id', 'model', 'dataset', 'clips', 'evaluated_at', 'label', 'support', 'precision', 'recall', 'f1', 'predicted_a', 'predicted_b', 'predicted_c'],
      [...lead, 'a', '6', '0.714286', '0.833333', '0.769231', '5', '1', '0'],
      [...lead, 'b', '6', '0.75', '0.5', '0.6', '2', '3', '1'],
      [...lead, 'c', '4', '0.8', '1', '0.888889', '0', '0', '4'],
      [...lead, 'macro avg', '16', '0.754762', '0.777778', '0.752707', '', '', ''],
      [...lead, 'weighted avg', '16', '0.749107', '0.75', '0.735684', '', '', ''],
      [...lead, 'accuracy', '16', '', '', '0.75', '', '', ''],
    ]);
  });
});
