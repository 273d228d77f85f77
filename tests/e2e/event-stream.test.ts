/**
 * A browser window whose event stream drops while a job runs (serve mode on a lab machine: a laptop that sleeps,
 * a proxy that restarts) must not be left with a job that never ends: when the stream comes back the page asks
 * where its jobs stand (jobs.status) and re-reads the library, so the finished classification shows.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobStarted, JobStatus } from '../../electron/api/transport/contract.ts';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import { chromiumAvailable } from '../helpers/chromium.ts';
import { dropEventStream, installDroppableEventStream, resumeEventStream } from '../helpers/droppable-event-stream.ts';
import { encodeWav } from '../helpers/wav-writer.ts';

const SAMPLE_RATE = 22_050;
const TONES_HZ = [180, 260, 340];

function tone(hz: number, seconds: number): Float32Array {
  return Float32Array.from({ length: seconds * SAMPLE_RATE }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE));
}

describe.skipIf(!chromiumAvailable)('a dropped event stream in Chromium', () => {
  let workDir: string;
  let app: AppSession;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-e2e-stream-'));
    const clipsDir = join(workDir, 'clips');
    mkdirSync(clipsDir);
    for (const hz of TONES_HZ) writeFileSync(join(clipsDir, `tone-${hz}.wav`), encodeWav({ sampleRate: SAMPLE_RATE, format: 'pcm16', channels: [tone(hz, 3)] }));
    app = await openAppSession(workDir, { beforeOpen: installDroppableEventStream });
    await addFolder(app.page, clipsDir);
  });

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('ends a job that finished while the stream was down, and shows its results, once the stream is back', async () => {
    const { page, server } = app;
    const rows = page.getByRole('table', { name: 'Recordings' }).locator('tbody tr');
    const classified = async () => (await rows.allTextContents()).filter((row) => /\d+%/.test(row)).length;
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(TONES_HZ.length);

    await dropEventStream(page);
    await page.getByLabel('Select all recordings').check();
    const started = page.waitForResponse((response) => response.url().endsWith('/api/call/classify.start'));
    await page.getByRole('button', { name: 'Classify selected' }).click();
    const { result } = (await (await started).json()) as { result: JobStarted };
    await expect.poll(async () => (await server.call<JobStatus>('jobs.status', { jobId: result.jobId })).state, { timeout: 90_000 }).toBe('finished');

    // The page heard neither the end nor the library change: it still shows the job, and no predictions.
    const progress = page.getByLabel('Classification progress');
    await page.waitForTimeout(500);
    expect(await progress.isVisible()).toBe(true);
    expect(await classified()).toBe(0);

    await resumeEventStream(page);
    await progress.waitFor({ state: 'detached', timeout: 10_000 });
    await expect.poll(classified, { timeout: 10_000 }).toBe(TONES_HZ.length);
    expect(app.pageErrors).toEqual([]);
  });
});
