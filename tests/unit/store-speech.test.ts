import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSegments, SEGMENTS_HEADER } from '../../electron/export/segments-csv.ts';
import { meanOverSpeech as meanOf } from '../../electron/shared/outcomes.ts';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import { iteratePredictions, iteratePredictionReport, latestRuns, mergeRuns, mergeStore, StoreError, type WindowPrediction } from '../../electron/store/index.ts';
import { MODEL, predictFile, probabilities, storeSequence, virtualRecording } from '../helpers/store-fixtures.ts';

const stores = storeSequence('ser-store-speech-');
const at = (start: number, top: string, p: number, speech?: number): WindowPrediction => ({ start, end: start + 3, probabilities: probabilities(top, p), speech });
const sad = EMOTIONS.indexOf('sad');
const angry = EMOTIONS.indexOf('angry');

describe('speech shares in the store', () => {
  it('keeps each window\'s share, null where not measured, and refuses one outside [0, 1]', () => {
    const db = stores.next();
    predictFile(db, { model: MODEL, runId: 'r1', recording: virtualRecording('a.wav'), windows: [at(0, 'sad', 0.5, 0), at(1.5, 'sad', 0.5, 0.75), at(3, 'sad', 0.5)] });
    expect([...iteratePredictions(db)].map((r) => r.speechShare)).toEqual([0, 0.75, null]);
    expect([...iteratePredictionReport(db)].map((r) => r.speechShare)).toEqual([0, 0.75, null]);
    expect(() => predictFile(db, { model: MODEL, runId: 'r2', recording: virtualRecording('a.wav'), windows: [at(0, 'sad', 0.5, 1.2)] })).toThrow(StoreError);
    expect([...iteratePredictions(db, { runId: 'r2' })]).toHaveLength(0);
  });

  it('leaves windows without speech out of the file means; a file with none gets the mean of all and noSpeech', () => {
    const db = stores.next();
    // Silence the model took for anger, then two windows of sad speech.
    const mixed = predictFile(db, { model: MODEL, runId: 'r', recording: virtualRecording('mixed.wav'), windows: [at(0, 'angry', 0.9, 0.02), at(1.5, 'sad', 0.6, 0.5), at(3, 'sad', 0.8, 1)] });
    const silent = predictFile(db, { model: MODEL, runId: 'r', recording: virtualRecording('silent.wav'), windows: [at(0, 'angry', 0.9, 0), at(1.5, 'sad', 0.5, 0)] });
    const runs = latestRuns(db);
    expect(runs.get(mixed.recording.id)!.noSpeech).toBe(false);
    expect(runs.get(mixed.recording.id)!.mean[sad]).toBeCloseTo(0.7, 6);
    expect(runs.get(silent.recording.id)!.noSpeech).toBe(true);
    expect(runs.get(silent.recording.id)!.mean[angry]).toBeCloseTo((0.9 + 0.5 / 7) / 2, 6);

    const timeline = mergeRuns(iteratePredictions(db, { recordingId: mixed.recording.id }));
    expect(timeline.map((w) => w.speech)).toEqual([0.02, 0.5, 1]);
    expect(meanOf(timeline)[sad]).toBeCloseTo(0.7, 6);
    expect(meanOf(timeline)[angry]).toBeCloseTo(0.4 / 7 / 2 + 0.2 / 7 / 2, 6);
  });

  it('carries the shares through a merge', () => {
    const shard = stores.next();
    predictFile(shard, { model: MODEL, runId: 'r', recording: virtualRecording('a.wav'), windows: [at(0, 'sad', 0.5, 0), at(1.5, 'sad', 0.5, 0.4)] });
    const file = shard.name;
    const target = stores.next();
    expect(mergeStore(target, file)).toMatchObject({ predictionsAdded: 2, conflicts: [] });
    expect([...iteratePredictions(target)].map((r) => r.speechShare)).toEqual([0, 0.4]);
  });
});

describe('exportSegments', () => {
  it('writes each recording\'s runs of one top label, "no speech" among them', async () => {
    const db = stores.next();
    predictFile(db, {
      model: MODEL,
      runId: 'r',
      recording: virtualRecording('a.wav'),
      windows: [at(0, 'angry', 0.9, 0), at(1.5, 'angry', 0.9, 0.05), at(3, 'sad', 0.6, 0.5), at(4.5, 'sad', 0.8, 1)],
    });
    predictFile(db, { model: MODEL, runId: 'r', recording: virtualRecording('b.wav'), windows: [at(0, 'happy', 0.5)] });
    const out = join(stores.dir, 'segments.csv');
    expect(await exportSegments(db, out)).toBe(3);
    expect(readFileSync(out, 'utf8').split('\r\n')).toEqual([
      SEGMENTS_HEADER.join(','),
      '/virtual/a.wav,baseline,1.0,1,no speech,0,3,3,2,',
      '/virtual/a.wav,baseline,1.0,2,sad,3,7.5,4.5,2,0.7',
      '/virtual/b.wav,baseline,1.0,1,happy,0,3,3,1,0.5',
      '',
    ]);
  });
});
