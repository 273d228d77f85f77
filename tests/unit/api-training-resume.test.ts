/**
 * A training run the app is killed in the middle of (a crash, a power cut) is not lost: after a restart the
 * Train view lists it, and it resumes from its last finished epoch to the end. Two real `ser serve` processes
 * on one data folder; the first is killed with SIGKILL, so nothing of it gets to clean up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatasetReport, InterruptedRun, JobStarted, ModelEntry, TrainingState } from '../../electron/api/transport/contract.ts';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { writeToyDataset } from '../helpers/toy-data.ts';

const dir = mkdtempSync(join(tmpdir(), 'ser-resume-'));
const env = { SER_DATA_DIR: join(dir, 'data'), SER_CACHE_DIR: join(dir, 'cache') };
const serve = () => startServe(['--db', join(dir, 'ser.db')], env);
const servers: ServeProcess[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor<T>(what: string, poll: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 240_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await poll();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 300)}`);
    await sleep(250);
  }
}

describe('a training run killed mid-way', () => {
  it('is listed after a restart, resumes after its last finished epoch and ends as a model', async () => {
    const toy = writeToyDataset(join(dir, 'library', 'toy'), { classes: ['low', 'high', 'noise'], clipsPerClass: 10, speakers: 4 });
    const first = await serve();
    servers.push(first);
    await first.call<JobStarted>('library.add', { path: join(dir, 'library') });
    const report = await first.call<DatasetReport>('datasets.inspect', { source: { kind: 'folder', path: toy.dir, labelsCsv: toy.csv }, minClipsPerLabel: 5 });
    await first.call<JobStarted>('training.start', { datasetId: report.datasetId, name: 'Toy crash', split: 'random', epochs: 4, patience: 4 });
    // An epoch is reported once its checkpoint is on disk: killed right after, the run keeps it.
    const before = await waitFor('an epoch', () => first.call<TrainingState>('training.state'), (s) => s.history.length >= 1);
    await first.crash();

    const second = await serve();
    servers.push(second);
    const [stopped, ...others] = await second.call<InterruptedRun[]>('training.interrupted');
    expect(others).toEqual([]);
    expect(stopped).toMatchObject({ name: 'Toy crash', epochs: 4, resumable: true, dataset: report.source });
    expect(stopped.epochsDone).toBeGreaterThanOrEqual(before.history.length);
    // Not a model (yet): it is not listed, nor can it be made active.
    expect((await second.call<ModelEntry[]>('models.list')).map((m) => m.id)).not.toContain(stopped.id);

    await second.call<JobStarted>('training.resume', { id: stopped.id });
    const after = await waitFor('the resumed run to end', () => second.call<TrainingState>('training.state'), (s) => s.status !== 'preparing' && s.status !== 'running');
    expect(after.status).toBe('completed');
    expect(after.notes).toContain(`resumed after epoch ${stopped.epochsDone}`);
    // The epochs in the checkpoint are the ones it had run; the rest followed them.
    expect(after.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect(after.history.slice(0, before.history.length)).toEqual(before.history);
    const model = (await second.call<ModelEntry[]>('models.list')).find((m) => m.id === stopped.id);
    expect(model).toMatchObject({ name: 'Toy crash', trained: true });
    expect(await second.call<InterruptedRun[]>('training.interrupted')).toEqual([]);
  }, 600_000);
});
