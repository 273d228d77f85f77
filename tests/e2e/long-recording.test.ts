/**
 * Zoomed in on a long recording, the waveform shows its fine structure: the page starts from an overview of
 * 20,000 points (6 ms each for two minutes), then fetches the stretch around the view at 2,000 points a
 * second. The recording is a tone switched on and off every 4 ms: a gap pattern the overview cannot show and
 * the sharpened waveform must.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import { chromiumAvailable } from '../helpers/chromium.ts';
import { encodeWav } from '../helpers/wav-writer.ts';

const SAMPLE_RATE = 8000;
const SECONDS = 120;
const GATE_SAMPLES = 32; // 4 ms on, 4 ms off

function gatedTone(): Float32Array {
  return Float32Array.from({ length: SECONDS * SAMPLE_RATE }, (_, i) =>
    Math.floor(i / GATE_SAMPLES) % 2 === 0 ? 0.6 * Math.sin((2 * Math.PI * 1000 * i) / SAMPLE_RATE) : 0,
  );
}

describe.skipIf(!chromiumAvailable)('a long recording zoomed in, in Chromium', () => {
  let workDir: string;
  let app: AppSession;
  let detailRequest: (route: Route) => void;
  const detailRequested = new Promise<Route>((resolve) => (detailRequest = resolve));

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-e2e-long-'));
    const clipsDir = join(workDir, 'clips');
    mkdirSync(clipsDir);
    writeFileSync(join(clipsDir, 'lecture.wav'), encodeWav({ sampleRate: SAMPLE_RATE, format: 'pcm16', channels: [gatedTone()] }));
    app = await openAppSession(workDir, {
      // Hold the first request for a stretch (the overview asks for the whole recording) until the test has looked.
      beforeOpen: async (page) => {
        await page.route('**/api/call/recordings.peaks', (route) => {
          if ((route.request().postDataJSON() as { startSec?: number }).startSec === undefined) return route.continue();
          detailRequest(route);
        });
      },
    });
    await addFolder(app.page, clipsDir);
  });

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** The fraction of the waveform's pixel columns with nothing drawn in their top third (silence is a line through the middle): the gaps. */
  const emptyColumns = () =>
    app.page.evaluate(() => {
      const canvases = [...(document.querySelector('.waveform > div')?.shadowRoot?.querySelectorAll('canvas') ?? [])];
      let empty = 0;
      let total = 0;
      for (const canvas of canvases) {
        if (canvas.width === 0 || canvas.height === 0) continue;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let x = 0; x < canvas.width; x++) {
          let painted = false;
          for (let y = 0; y < canvas.height / 3 && !painted; y++) painted = data[(y * canvas.width + x) * 4 + 3] > 0;
          total++;
          if (!painted) empty++;
        }
      }
      return total === 0 ? -1 : empty / total;
    });

  it('shows the overview while the view’s stretch loads, then the 4 ms gaps the overview blurs', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'lecture.wav' }).click();
    await page.waitForFunction(() => (document.querySelector('.waveform > div')?.shadowRoot?.querySelectorAll('canvas').length ?? 0) > 0);
    await page.getByLabel('Zoom').evaluate((input: HTMLInputElement) => {
      input.value = '100'; // 2,000 px/s
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const route = await detailRequested;
    const asked = route.request().postDataJSON() as { startSec: number; endSec: number; points: number };
    expect(asked.startSec).toBe(0);
    expect(asked.points / (asked.endSec - asked.startSec)).toBeCloseTo(2000, 0);
    await expect.poll(emptyColumns).toBeGreaterThanOrEqual(0);
    expect(await emptyColumns()).toBeLessThan(0.05);

    await route.continue();
    await expect.poll(emptyColumns, { timeout: 10_000 }).toBeGreaterThan(0.3);
    expect(app.pageErrors).toEqual([]);
  });
});
