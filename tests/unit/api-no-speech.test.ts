import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { segmentsRows } from '../../electron/export/segments-csv.ts';
import { MIN_SPEECH_SHARE, NO_SPEECH } from '../../electron/shared/outcomes.ts';
import { segmentsOf } from '../../electron/shared/segments.ts';
import { iteratePredictions } from '../../electron/store/index.ts';
import { apiFixture, RATE } from '../helpers/api-fixtures.ts';
import { encodeWav, sine, voiced } from '../helpers/wav-writer.ts';

// The bundled model may be untrained: what matters here is which windows hold speech, not their emotion.
const f = await apiFixture('ser-api-no-speech-');
const folder = join(f.dir, 'clips');
mkdirSync(folder);
const concat = (...parts: Float32Array[]) => {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (out.set(p, at), at + p.length), 0);
  return out;
};
// 4 s of silence, 2 s of a steady 440 Hz tone, then 6 s of a voice-like signal.
writeFileSync(join(folder, 'mixed.wav'), encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [concat(new Float32Array(4 * RATE), sine(440, RATE, 2), voiced(150, RATE, 6))] }));
writeFileSync(join(folder, 'tone.wav'), encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [concat(new Float32Array(RATE), sine(440, RATE, 5))] }));
const { jobId: importJob } = await f.call('library.add', { path: folder });
await f.log.end(importJob);
const [mixed, tone] = await f.call('recordings.list', {});
const { jobId } = await f.call('classify.start', { recordingIds: [mixed.id, tone.id] });
const end = await f.log.end(jobId, 120_000);

describe('no speech through classify, the store and the timeline', () => {
  it('classified both recordings', () => {
    expect(end).toMatchObject({ type: 'job.finished', result: { classified: 2, failed: [] } });
    expect([mixed.name, tone.name]).toEqual(['mixed.wav', 'tone.wav']);
  });

  it('gives silence then a tone as one "no speech" segment, then the voice as speech', async () => {
    const predictions = await f.call('recordings.predictions', { id: mixed.id });
    // 3 s windows every 1.5 s: the first three (0-6 s) hold silence and tone only.
    expect(predictions.windows.map((w) => w.startSec)).toEqual([0, 1.5, 3, 4.5, 6, 7.5, 9]);
    expect(predictions.windows.slice(0, 3).map((w) => w.speech)).toEqual([0, 0, 0]);
    for (const w of predictions.windows.slice(4)) expect(w.speech).toBeGreaterThan(0.5);
    const segments = segmentsOf(predictions.windows, predictions.labels);
    expect(segments[0]).toMatchObject({ label: NO_SPEECH, startSec: 0, endSec: 4.5, windows: 3, meanProbability: null });
    expect(segments.slice(1).every((s) => s.label !== NO_SPEECH)).toBe(true);
    expect(segments.at(-1)!.endSec).toBe(12);

    // The file's mean is over the windows with speech only.
    const voicedWindows = predictions.windows.filter((w) => w.speech! >= MIN_SPEECH_SHARE);
    predictions.mean.forEach((m, k) => expect(m).toBeCloseTo(voicedWindows.reduce((s, w) => s + w.probabilities[k], 0) / voicedWindows.length, 5));
    expect((await f.call('recordings.get', { id: mixed.id })).latest?.label).not.toBe(NO_SPEECH);
  });

  it('names a recording of silence and a steady tone "no speech", as a whole and as its one segment', async () => {
    expect((await f.call('recordings.get', { id: tone.id })).latest?.label).toBe(NO_SPEECH);
    const rows = [...segmentsRows(iteratePredictions(f.db, { recordingId: tone.id }))];
    expect(rows).toEqual([[tone.path, 'ser-cnn', expect.any(String), 1, NO_SPEECH, 0, 6, 6, 3, null]]);
  });
});
