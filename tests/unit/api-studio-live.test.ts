/**
 * The live microphone through the API: frames at 48 kHz are resampled to the model's rate and
 * classified in 3 s windows every 0.5 s as they complete; a recorded stream joins the library as
 * a WAV file with its windows' predictions.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelMetadata } from '../../electron/ml/model-store.ts';
import { bundledModelDir } from '../../electron/ml/model-location.ts';
import { apiFixture } from '../helpers/api-fixtures.ts';
import { sine } from '../helpers/wav-writer.ts';
import { mkdirSync } from 'node:fs';

const f = await apiFixture('ser-api-studio-live-');
const folder = join(f.dir, 'recordings');
mkdirSync(folder);
await f.log.end((await f.call('library.add', { path: folder })).jobId);
const { labels } = await readModelMetadata(bundledModelDir());
const INPUT_RATE = 48_000;

const base64 = (samples: Float32Array) => Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString('base64');
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('live microphone', () => {
  it('classifies each newly completed 3 s window every 0.5 s, and saves a recorded stream to the library', async () => {
    const { streamId, labels: streamLabels } = await f.call('live.start', { sampleRate: INPUT_RATE, record: true });
    expect(streamLabels).toEqual(labels);
    // 4 s of a 440 Hz tone, pushed as eight 0.5 s frames as a microphone would send them.
    const signal = sine(440, INPUT_RATE, 4, 0.3);
    const windows: { startSec: number; endSec: number; probabilities: number[]; speech: number }[] = [];
    const pushMs: number[] = [];
    for (let i = 0; i < 8; i++) {
      const started = performance.now();
      const reply = await f.call('live.push', { streamId, samples: base64(signal.subarray(i * 24_000, (i + 1) * 24_000)) });
      if (reply.windows.length > 0) pushMs.push(performance.now() - started);
      windows.push(...reply.windows);
    }
    // The resampler holds back a few milliseconds, so the window ending exactly at 4 s comes with the end of the stream.
    expect(windows.map((w) => [w.startSec, w.endSec])).toEqual([
      [0, 3],
      [0.5, 3.5],
    ]);
    for (const w of windows) {
      expect(w.probabilities).toHaveLength(labels.length);
      expect(sum(w.probabilities)).toBeCloseTo(1, 4);
      // A steady tone holds no speech.
      expect(w.speech).toBe(0);
    }
    console.log(`live.push with a window to classify: ${pushMs.map((ms) => ms.toFixed(0)).join(', ')} ms`);

    const { recordingId } = await f.call('live.stop', { streamId, folder });
    expect(recordingId).not.toBeNull();
    const recording = await f.call('recordings.get', { id: recordingId! });
    expect(recording).toMatchObject({ format: 'wav', sampleRate: INPUT_RATE, channels: 1, available: true });
    expect(recording.durationSec).toBeCloseTo(4, 6);
    expect(recording.path.startsWith(folder)).toBe(true);
    const predictions = await f.call('recordings.predictions', { id: recordingId! });
    expect(predictions.labels).toEqual(labels);
    expect(predictions.windows.map((w) => [w.startSec, w.endSec])).toEqual([
      [0, 3],
      [0.5, 3.5],
      [1, 4],
    ]);
    predictions.windows.slice(0, 2).forEach((w, i) => w.probabilities.forEach((p, k) => expect(p).toBeCloseTo(windows[i].probabilities[k], 5)));
    expect(await f.dispatch('live.push', { streamId, samples: '' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('keeps nothing of a stream that is not recorded, and refuses malformed frames and folders outside the library', async () => {
    const before = (await f.call('recordings.list', {})).length;
    const plain = await f.call('live.start', { sampleRate: 16_000, record: false });
    expect(await f.dispatch('live.push', { streamId: plain.streamId, samples: Buffer.alloc(6).toString('base64') })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await f.call('live.push', { streamId: plain.streamId, samples: base64(new Float32Array(8000)) })).windows).toEqual([]);
    expect(await f.call('live.stop', { streamId: plain.streamId, folder })).toEqual({ recordingId: null });

    const recorded = await f.call('live.start', { sampleRate: 16_000, record: true });
    await f.call('live.push', { streamId: recorded.streamId, samples: base64(new Float32Array(8000)) });
    expect(await f.dispatch('live.stop', { streamId: recorded.streamId, folder: f.dir })).toMatchObject({ ok: false, error: { code: 'forbidden_path' } });
    expect((await f.call('recordings.list', {})).length).toBe(before);
  });
});
