import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isHeldOut } from '../../electron/annotation/held-out.ts';
import { uncertainty } from '../../electron/annotation/label-queue.ts';
import { apiFixture, RATE } from '../helpers/api-fixtures.ts';
import { encodeWav, voiced } from '../helpers/wav-writer.ts';

// The bundled model's emotions for synthetic voices mean nothing; the queue's order, from its stored windows, does.
const f = await apiFixture('ser-api-learning-');
const folder = join(f.dir, 'clips');
mkdirSync(folder);
for (const [name, f0, seconds] of [['a.wav', 120, 6], ['b.wav', 210, 4.5], ['c.wav', 300, 3]] as const) {
  writeFileSync(join(folder, name), encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [voiced(f0, RATE, seconds)] }));
}
await f.log.end((await f.call('library.add', { path: folder })).jobId);
const recordings = await f.call('recordings.list', {});
const session = await f.call('sessions.create', { name: 'learner' });

describe('the label-next queue through the API', () => {
  it('lists the unclassified recordings before anything is classified', async () => {
    const queue = await f.call('learning.queue', { sessionId: session.id });
    expect(queue.items).toEqual([]);
    expect(queue.unclassified.sort()).toEqual(recordings.map((r) => r.id).sort());
  });

  it("ranks the active model's windows least sure first, and leaves out a stretch once it is labelled", async () => {
    const end = await f.log.end((await f.call('classify.start', { recordingIds: recordings.map((r) => r.id) })).jobId, 120_000);
    expect(end.type).toBe('job.finished');
    const queue = await f.call('learning.queue', { sessionId: session.id, measure: 'entropy', limit: 100 });
    expect(queue.unclassified).toEqual([]);
    expect(queue.items.length).toBeGreaterThan(2);
    // Each item is a stored window, its uncertainty computed from what recordings.predictions serves.
    for (const item of queue.items) {
      const predictions = await f.call('recordings.predictions', { id: item.recordingId });
      const window = predictions.windows.find((w) => w.startSec === item.startSec)!;
      expect(item.uncertainty).toBeCloseTo(uncertainty(window.probabilities, 'entropy'), 6);
      expect(item.suggestion).toBe(predictions.labels[window.probabilities.indexOf(Math.max(...window.probabilities))]);
      expect(item.name).toBe(recordings.find((r) => r.id === item.recordingId)!.name);
    }
    const scores = queue.items.map((i) => i.uncertainty);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));

    const first = queue.items[0];
    await f.call('annotations.add', { sessionId: session.id, recordingId: first.recordingId, startSec: first.startSec, endSec: first.endSec, label: first.suggestion });
    const after = await f.call('learning.queue', { sessionId: session.id, measure: 'entropy', limit: 100 });
    expect(after.items.some((i) => i.recordingId === first.recordingId && i.startSec === first.startSec)).toBe(false);
    expect(after.items[0]).toEqual(queue.items[1]);
  });

  it("scores each model on the session's held-out labels, which a fine-tuning data set leaves out", async () => {
    // Annotations until two are held out (every fifth id), each labelled as the model labels its
    // window, except the first held-out one, labelled otherwise: the model gets one of two right.
    const ids = async () => (await f.call('annotations.list', { sessionId: session.id })).map((a) => a.id);
    let heldOut = 0;
    for (let n = 0; heldOut < 2; n++) {
      const r = recordings[n % recordings.length];
      const predictions = await f.call('recordings.predictions', { id: r.id });
      const p = predictions.windows[0].probabilities;
      const top = predictions.labels[p.indexOf(Math.max(...p))];
      const nextHeldOut = isHeldOut(Math.max(...(await ids())) + 1);
      const label = nextHeldOut && heldOut === 0 ? predictions.labels.find((l) => l !== top)! : top;
      const a = await f.call('annotations.add', { sessionId: session.id, recordingId: r.id, startSec: 0, endSec: 3, label });
      expect(isHeldOut(a.id)).toBe(nextHeldOut);
      if (nextHeldOut) heldOut++;
    }
    const score = await f.call('learning.heldOut', { sessionId: session.id });
    expect(score.heldOut).toBe(2);
    expect(score.models).toEqual([{ id: expect.any(Number), name: 'ser-cnn', correct: 1, n: 2 }]);

    const all = await f.call('datasets.inspect', { source: { kind: 'session', sessionId: session.id }, minClipsPerLabel: 1 });
    const rest = await f.call('datasets.inspect', { source: { kind: 'session', sessionId: session.id, leaveOutHeldOut: true }, minClipsPerLabel: 1 });
    const total = (await f.call('annotations.list', { sessionId: session.id })).length;
    expect(all.clips).toBe(total);
    expect(rest.clips).toBe(total - 2);
    expect(rest.source).toMatch(/without its held-out labels$/);
  });
});
