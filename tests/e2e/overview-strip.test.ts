/**
 * The overview strip of a long recording in Chromium, served by ser serve: it frames the stretch on
 * screen, a click centres the view where it lands, and its keys move the view (not the playhead).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, CHROMIUM_PATH } from '../helpers/chromium.ts';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import { encodeWav, voiced } from '../helpers/wav-writer.ts';

const RATE = 8000;
const SECONDS = 90;

describe.skipIf(!chromiumAvailable)('the overview strip in Chromium, served by ser serve', () => {
  let workDir: string;
  let app: AppSession;
  let page: Page;

  const strip = () => page.getByRole('scrollbar', { name: 'Overview of the whole recording' });
  const shown = async () => {
    const start = Number(await strip().getAttribute('aria-valuenow'));
    const text = (await strip().getAttribute('aria-valuetext'))!;
    return { start, text };
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-overview-e2e-'));
    const clipsDir = join(workDir, 'clips');
    mkdirSync(clipsDir);
    writeFileSync(join(clipsDir, 'interview.wav'), encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [voiced(140, RATE, SECONDS)] }));
    app = await openAppSession(workDir);
    page = app.page;
    await addFolder(page, clipsDir);
    await page.getByRole('button', { name: 'interview.wav' }).click();
    await page.getByRole('heading', { name: 'interview.wav' }).waitFor();
  });

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('shows the whole of a long recording, framed whole while the waveform fits it', async () => {
    await strip().waitFor();
    await expect.poll(async () => (await shown()).text).toMatch(/^showing 0:00(\.0)? to 1:30(\.0)? of 1:30(\.0)?$/);
    expect((await shown()).start).toBe(0);
  });

  it('frames the zoomed view, centres it where a click lands, and moves it with its keys', async () => {
    await page.getByLabel('Zoom').evaluate((input: HTMLInputElement) => {
      input.value = '40';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    const frame = page.locator('.overview .frame');
    const box = (await strip().boundingBox())!;
    await expect.poll(async () => (await frame.boundingBox())!.width).toBeLessThan(box.width / 2);
    const span = ((await frame.boundingBox())!.width / box.width) * SECONDS;

    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(async () => Math.abs((await shown()).start + span / 2 - SECONDS / 2)).toBeLessThan(1.5);

    const clock = await page.getByLabel('Playback position').textContent();
    await strip().focus();
    await page.keyboard.press('End');
    await expect.poll(async () => Math.abs((await shown()).start - (SECONDS - span))).toBeLessThan(1.5);
    await page.keyboard.press('Home');
    await expect.poll(async () => (await shown()).start).toBeLessThan(0.5);
    const before = (await shown()).start;
    await page.keyboard.press('PageDown');
    await expect.poll(async () => Math.abs((await shown()).start - before - span)).toBeLessThan(1.5);
    // The arrows moved the view, not the playhead.
    await page.keyboard.press('ArrowRight');
    expect(await page.getByLabel('Playback position').textContent()).toBe(clock);
  });

  it('raised no errors in the page', () => {
    expect(app.pageErrors).toEqual([]);
  });
});

if (!chromiumAvailable) {
  describe('the overview strip in Chromium', () => {
    it.skip(`needs Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set SER_CHROMIUM)`, () => {});
  });
}
