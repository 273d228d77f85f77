/**
 * "No speech" in the recording view (issue 15 item 6): a recording of silence, a steady tone, then a
 * voice-like signal, classified in Chromium. The timeline's band is grey (translucent) where there is no
 * speech and coloured after; the segment list starts with a "no speech" row, and its rows seek.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import { chromiumAvailable } from '../helpers/chromium.ts';
import { encodeWav, sine, voiced } from '../helpers/wav-writer.ts';

const RATE = 22_050;

describe.skipIf(!chromiumAvailable)('no speech in the recording view', () => {
  let workDir: string;
  let app: AppSession;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-e2e-no-speech-'));
    const clipsDir = join(workDir, 'clips');
    mkdirSync(clipsDir);
    const samples = new Float32Array(12 * RATE);
    samples.set(sine(440, RATE, 2), 4 * RATE);
    samples.set(voiced(150, RATE, 6), 6 * RATE);
    writeFileSync(join(clipsDir, 'silence-tone-voice.wav'), encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [samples] }));
    app = await openAppSession(workDir);
    await addFolder(app.page, clipsDir);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  const audioTime = () => app.page.evaluate(() => document.querySelector('.waveform > div')!.shadowRoot!.querySelector('audio')!.currentTime);

  it('draws the windows without speech grey, lists a "no speech" segment first, and seeks from the list by click and by Enter', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'silence-tone-voice.wav' }).click();
    await page.waitForFunction(() => (document.querySelector('.waveform > div')?.shadowRoot?.querySelector('audio')?.readyState ?? 0) >= 1);
    await page.getByRole('button', { name: 'Classify', exact: true }).click();
    const timeline = page.getByRole('img', { name: /Emotion timeline: 7 windows classified by .*, 3 without speech/ });
    await timeline.waitFor({ timeout: 90_000 });

    // The band's alpha: the no-speech fill is translucent, an emotion's colour opaque (some emotions are grey-ish themselves).
    const alphaAt = (fraction: number) =>
      timeline.locator('canvas').evaluate((c: HTMLCanvasElement, f) => c.getContext('2d')!.getImageData(Math.floor(f * c.width), 4, 1, 1).data[3], fraction);
    const silentAlpha = await alphaAt(0.2);
    expect(silentAlpha).toBeGreaterThan(0);
    expect(silentAlpha).toBeLessThan(128);
    expect(await alphaAt(0.8)).toBe(255);
    expect(await page.getByRole('group', { name: /Emotion classes/ }).getByText('no speech').count()).toBe(1);

    const rows = page.getByRole('list', { name: /Segments of one top label/ }).getByRole('button');
    await expect.poll(() => rows.count()).toBeGreaterThan(1);
    const first = rows.first();
    expect(await first.getAttribute('data-label')).toBe('no speech');
    expect(Number(await first.getAttribute('data-start'))).toBe(0);
    expect(Number(await first.getAttribute('data-end'))).toBe(4.5);
    expect(await rows.nth(1).getAttribute('data-label')).not.toBe('no speech');

    await rows.nth(1).focus();
    await page.keyboard.press('Enter');
    await expect.poll(audioTime).toBeCloseTo(4.5, 1);
    await first.click();
    await expect.poll(audioTime).toBeCloseTo(0, 1);
    expect(app.pageErrors).toEqual([]);
  }, 120_000);
});
