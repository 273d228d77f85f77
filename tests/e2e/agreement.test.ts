/**
 * The agreement view end to end, in real Chromium against `ser serve`: two annotators' sessions on one clip
 * give the unit-tested kappa, and a disagreement segment opens the clip at its start (screenshot:
 * tmp/e2e-screenshots/agreement.png).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { JobStarted, JobStatus, RecordingSummary, Session, Tier } from '../../electron/api/transport/contract.ts';
import { ANNOTATOR_A, ANNOTATOR_B, TWO_ANNOTATORS } from '../helpers/agreement-fixtures.ts';
import { openAppSession, type AppSession } from '../helpers/app-session.ts';
import { viewShot } from '../helpers/screenshots.ts';
import { chromiumAvailable } from '../helpers/chromium.ts';
import { encodeWav } from '../helpers/wav-writer.ts';

const SAMPLE_RATE = 22_050;

/** 1 s of a 220 Hz tone: the hand-worked example's 100 frames of 10 ms. */
function tone(): Float32Array {
  return Float32Array.from({ length: SAMPLE_RATE }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / SAMPLE_RATE));
}

describe.skipIf(!chromiumAvailable)('the agreement view in Chromium, served by ser serve', () => {
  let workDir: string;
  let app: AppSession;
  let page: Page;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-e2e-agreement-'));
    const clipsDir = join(workDir, 'clips');
    mkdirSync(clipsDir);
    writeFileSync(join(clipsDir, 'dialogue.wav'), encodeWav({ sampleRate: SAMPLE_RATE, format: 'pcm16', channels: [tone()] }));
    app = await openAppSession(workDir);
    page = app.page;
    const { server } = app;
    const { jobId } = await server.call<JobStarted>('library.add', { path: clipsDir });
    await vi.waitFor(
      async () => {
        const { state } = await server.call<JobStatus>('jobs.status', { jobId });
        if (state !== 'finished') throw new Error(`import ${state}`);
      },
      { timeout: 60_000, interval: 200 },
    );
    const [clip] = await server.call<RecordingSummary[]>('recordings.list', {});
    for (const [name, spans] of [['anna', ANNOTATOR_A], ['ben', ANNOTATOR_B]] as const) {
      const session = await server.call<Session>('sessions.create', { name });
      for (const span of spans) await server.call('annotations.add', { sessionId: session.id, recordingId: clip.id, ...span });
    }
    // The same two annotators as two tiers of one session.
    const pair = await server.call<Session>('sessions.create', { name: 'pair' });
    const [first] = await server.call<Tier[]>('tiers.list', { sessionId: pair.id });
    const second = await server.call<Tier>('tiers.create', { sessionId: pair.id, name: 'second' });
    for (const [tier, spans] of [[first, ANNOTATOR_A], [second, ANNOTATOR_B]] as const) {
      for (const span of spans) await server.call('annotations.add', { sessionId: pair.id, recordingId: clip.id, tierId: tier.id, ...span });
    }
    await page.reload();
  });

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("shows two sessions' kappa as the unit test computed it, and jumps to where they disagree", async () => {
    await page.getByRole('tab', { name: 'Agreement' }).click();
    await page.getByRole('checkbox', { name: /^anna/ }).check();
    await page.getByRole('checkbox', { name: /^ben/ }).check();
    await page.getByRole('button', { name: 'Compare' }).click();

    const pooled = page.getByRole('status', { name: 'Pooled agreement' });
    await pooled.waitFor();
    expect(await pooled.textContent()).toContain(`Cohen's kappa ${TWO_ANNOTATORS.cohenKappa.toFixed(3)}`);
    expect(await pooled.textContent()).toContain(`Krippendorff's alpha ${TWO_ANNOTATORS.krippendorffAlpha.toFixed(3)}`);
    expect(await pooled.textContent()).toContain(`${TWO_ANNOTATORS.frames} frames`);
    await viewShot(page, 'agreement', { clip: { x: 0, y: 0, width: 1360, height: 690 } });
    const segments = page.getByRole('list', { name: 'Disagreements' }).getByRole('listitem');
    expect(await segments.allTextContents()).toEqual([
      expect.stringContaining('dialogue.wav 0:00.30–0:00.50: anna: happy · ben: sad'),
      expect.stringContaining('dialogue.wav 0:00.80–0:01.00: anna: sad · ben: none'),
    ]);

    // Next opens the first segment's clip with its playhead at its start; back here, Next goes on to the second.
    const position = async () => (await page.getByLabel('Playback position').textContent())?.split('/')[0].trim();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.getByRole('heading', { name: 'dialogue.wav' }).waitFor();
    await expect.poll(position).toBe('0:00.30');
    await page.getByRole('tab', { name: 'Agreement' }).click();
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await expect.poll(position).toBe('0:00.80');
    expect(app.pageErrors).toEqual([]);
  });

  it('compares two tiers of one session the same way, and choosing tiers clears the sessions chosen', async () => {
    await page.getByRole('tab', { name: 'Agreement' }).click();
    const tiers = page.getByRole('group', { name: 'Tiers of pair' });
    await tiers.getByRole('checkbox', { name: 'tier pair' }).check();
    expect(await page.getByRole('checkbox', { name: /^anna/ }).isChecked()).toBe(false);
    await tiers.getByRole('checkbox', { name: 'tier second' }).check();
    await page.getByRole('button', { name: 'Compare' }).click();
    const pooled = page.getByRole('status', { name: 'Pooled agreement' });
    await expect.poll(() => pooled.textContent()).toContain('pair, second');
    expect(await pooled.textContent()).toContain(`Cohen's kappa ${TWO_ANNOTATORS.cohenKappa.toFixed(3)}`);
    expect(app.pageErrors).toEqual([]);
  });
});
