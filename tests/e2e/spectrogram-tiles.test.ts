/**
 * The spectrogram of a long recording arrives in tiles at the screen's resolution (issue 14 item 5): no
 * request holds more columns than the plot has device pixels, zooming in asks for finer tiles of the view
 * only, and going back to a view already seen asks for nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import { chromiumAvailable } from '../helpers/chromium.ts';
import { encodeWav } from '../helpers/wav-writer.ts';

const SAMPLE_RATE = 8000;
const SECONDS = 240;

interface Asked {
  startSec: number;
  endSec: number;
  columns?: number;
}

describe.skipIf(!chromiumAvailable)('spectrogram tiles of a long recording, in Chromium', () => {
  let workDir: string;
  let app: AppSession;
  const asked: Asked[] = [];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-e2e-tiles-'));
    const clipsDir = join(workDir, 'clips');
    mkdirSync(clipsDir);
    const tone = Float32Array.from({ length: SECONDS * SAMPLE_RATE }, (_, i) => 0.5 * Math.sin((2 * Math.PI * (300 + (i % 8000) / 10) * i) / SAMPLE_RATE));
    writeFileSync(join(clipsDir, 'talk.wav'), encodeWav({ sampleRate: SAMPLE_RATE, format: 'pcm16', channels: [tone] }));
    app = await openAppSession(workDir, {
      beforeOpen: async (page) => {
        page.on('request', (request) => {
          if (request.url().endsWith('/api/call/recordings.spectrogram')) asked.push(request.postDataJSON() as Asked);
        });
      },
    });
    await addFolder(app.page, clipsDir);
  });

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const plot = () => app.page.getByRole('img', { name: /^Log-mel spectrogram/ });
  const ready = () => plot().and(app.page.locator('[data-ready="true"]')).waitFor();
  const setZoom = (level: number) =>
    app.page.getByLabel('Zoom').evaluate((input: HTMLInputElement, value) => {
      input.value = String(value);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }, level);

  it('asks for tiles no wider than the plot in device pixels, finer ones when zoomed in, and nothing for a view it has seen', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'talk.wav' }).click();
    await ready();
    const devicePx = await plot().evaluate((el) => el.clientWidth * window.devicePixelRatio);
    const fitted = [...asked];
    expect(fitted.length).toBeGreaterThan(0);
    for (const a of fitted) expect(a.columns).toBeGreaterThan(0);
    // The whole recording in view: all its columns together are no more than the plot's device pixels.
    expect(fitted.reduce((n, a) => n + (a.columns ?? Infinity), 0)).toBeLessThanOrEqual(devicePx);
    expect(Math.min(...fitted.map((a) => a.startSec))).toBe(0);
    expect(Math.max(...fitted.map((a) => a.endSec))).toBeCloseTo(SECONDS, 6);
    const fittedColumnSec = (fitted[0].endSec - fitted[0].startSec) / fitted[0].columns!;

    await setZoom(60);
    await ready();
    const zoomed = asked.slice(fitted.length);
    expect(zoomed.length).toBeGreaterThan(0);
    // Finer columns, over a stretch near the view rather than the whole recording.
    expect((zoomed[0].endSec - zoomed[0].startSec) / zoomed[0].columns!).toBeLessThan(fittedColumnSec / 2);
    expect(Math.max(...zoomed.map((a) => a.endSec)) - Math.min(...zoomed.map((a) => a.startSec))).toBeLessThan(SECONDS / 2);
    expect(await page.evaluate(() => document.querySelector('.plot canvas') !== null)).toBe(true);

    console.log(`spectrogram tiles: fitted ${fitted.length} (${fitted.map((a) => a.columns).join('+')} columns on ${devicePx} device px), zoomed ${zoomed.length}`);
    const before = asked.length;
    await setZoom(0);
    await ready();
    await page.waitForTimeout(300);
    expect(asked.length).toBe(before);
    expect(app.pageErrors).toEqual([]);
  });
});
