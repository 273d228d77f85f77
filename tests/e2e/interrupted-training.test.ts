/**
 * After a crash mid-training, the Train view says which run was interrupted, how far it got and on what, and
 * resumes it with one click. The crash is real: the first `ser serve` is killed with SIGKILL after an epoch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetReport, JobStarted, ModelEntry, TrainingState } from '../../electron/api/transport/contract.ts';
import { openAppSession, type AppSession } from '../helpers/app-session.ts';
import { chromiumAvailable } from '../helpers/chromium.ts';
import { startServe } from '../helpers/serve-process.ts';
import { writeToyDataset } from '../helpers/toy-data.ts';

const TIMEOUT_MS = 240_000;
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe.skipIf(!chromiumAvailable)('an interrupted training run in Chromium', () => {
  let workDir: string;
  let app: AppSession;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-e2e-interrupted-'));
    const env = { SER_DATA_DIR: join(workDir, 'data'), SER_CACHE_DIR: join(workDir, 'cache') };
    const toy = writeToyDataset(join(workDir, 'library', 'toy'), { classes: ['low', 'high', 'noise'], clipsPerClass: 10, speakers: 4 });
    const crashing = await startServe(['--db', join(workDir, 'ser.db')], env);
    await crashing.call<JobStarted>('library.add', { path: join(workDir, 'library') });
    const report = await crashing.call<DatasetReport>('datasets.inspect', { source: { kind: 'folder', path: toy.dir, labelsCsv: toy.csv }, minClipsPerLabel: 5 });
    await crashing.call<JobStarted>('training.start', { datasetId: report.datasetId, name: 'Overnight run', split: 'random', epochs: 4, patience: 4 });
    // An epoch is reported once its checkpoint is on disk: killed right after, the run keeps it.
    while ((await crashing.call<TrainingState>('training.state')).history.length < 1) await sleep(250);
    await crashing.crash();
    app = await openAppSession(workDir, { env });
  }, TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('offers to resume it in the Train view, and the resumed run ends as a model', { timeout: TIMEOUT_MS }, async () => {
    const { page, server } = app;
    await page.getByRole('tab', { name: 'Train', exact: true }).click();
    const banner = page.getByRole('alert', { name: 'Interrupted run Overnight run' });
    expect(await banner.textContent()).toMatch(/Overnight run was interrupted after epoch [123] of 4 .*It can carry on from there\./s);
    await page.screenshot({ path: join(projectRoot, 'tmp', 'e2e-screenshots', 'studio-interrupted.png') });
    await banner.getByRole('button', { name: 'Resume' }).click();
    await banner.waitFor({ state: 'detached' });
    const status = page.getByRole('region', { name: 'Training progress' }).getByRole('status');
    await status.getByText(/^Finished\. Kept epoch \d/).waitFor({ timeout: TIMEOUT_MS });
    const state = (await server.call<TrainingState | null>('training.state'))!;
    expect(state.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4]);
    expect((await server.call<ModelEntry[]>('models.list')).find((m) => m.id === state.modelId)).toMatchObject({ name: 'Overnight run', trained: true });
    expect(app.pageErrors).toEqual([]);
  });
});
