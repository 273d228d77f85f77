/**
 * "No speech" in the recording view (issue 15 item 6): a recording of silence, a steady tone, then a
 * voice-like signal, classified in Chromium. The timeline's band is grey (translucent) where there is no
 * speech and coloured after; the segment list starts with a "no speech" row, and its rows seek. The Stacked toggle
 * (by keyboard, remembered after a reload) fills each speech window's column with its classes' layers and the silent
 * ones grey, and the hover readout still lists every class. Its screenshot goes to tmp/e2e-screenshots/timeline-stacked.png.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import { chromiumAvailable } from '../helpers/chromium.ts';
import { viewShot } from '../helpers/screenshots.ts';
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

  it('stacks the probabilities when the Stacked toggle is on, greys the silent windows, and remembers it', async () => {
    const { page } = app;
    const timeline = page.getByRole('img', { name: /Emotion timeline: 7 windows/ });
    /** One canvas column at a fraction of the width, over the probability plot (below the band): how many pixels are opaque, translucent, empty. */
    const column = (fraction: number) =>
      timeline.locator('canvas').evaluate((c: HTMLCanvasElement, f) => {
        const ratio = window.devicePixelRatio || 1;
        const top = Math.ceil(24 * ratio);
        const { data } = c.getContext('2d')!.getImageData(Math.floor(f * c.width), top, 1, c.height - top - Math.ceil(4 * ratio));
        const alphas = Array.from({ length: data.length / 4 }, (_, i) => data[i * 4 + 3]);
        return { opaque: alphas.filter((a) => a === 255).length, translucent: alphas.filter((a) => a > 0 && a < 128).length, all: alphas.length };
      }, fraction);
    const toggle = page.getByRole('button', { name: 'Stacked' });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    // Lines cross a column at a few points only.
    expect((await column(0.8)).opaque).toBeLessThan((await column(0.8)).all / 2);

    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => timeline.getAttribute('data-mode')).toBe('stacked');
    // A speech window's layers fill its column; a silent one's is grey (translucent) from top to bottom.
    await expect.poll(async () => { const c = await column(0.8); return c.opaque === c.all; }).toBe(true);
    const silent = await column(0.2);
    expect(silent.translucent).toBe(silent.all);

    // The readout still names every class.
    const box = (await timeline.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.6);
    const readout = page.getByRole('tooltip', { name: /Probabilities at/ });
    await readout.waitFor();
    const labels = await page.getByRole('group', { name: /^Emotion classes/ }).getByRole('button').allTextContents();
    expect((await readout.locator('li').evaluateAll((items) => items.map((li) => li.getAttribute('data-label')))).sort()).toEqual(labels.map((l) => l.trim()).sort());
    await viewShot(page, 'timeline-stacked', { wide: true });
    await page.mouse.move(0, 0);

    // A reload keeps it stacked.
    await page.reload();
    await page.getByRole('button', { name: 'silence-tone-voice.wav' }).click();
    await expect.poll(() => page.getByRole('img', { name: /Emotion timeline: 7 windows/ }).getAttribute('data-mode')).toBe('stacked');
    expect(await page.getByRole('button', { name: 'Stacked' }).getAttribute('aria-pressed')).toBe('true');
    expect(app.pageErrors).toEqual([]);
  }, 120_000);
});
