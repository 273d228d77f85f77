/**
 * Annotating without the mouse, in real Chromium against `ser serve` (issue 15 items 1 and 7): the library's
 * list answers the arrow keys, `?` lists every shortcut of the one table the handlers use, in and out points
 * set at the playhead and a digit make an annotation, the selection plays, loops and zooms, and the emotion
 * timeline reads out every class's probability under the pointer. Screenshots go to tmp/e2e-screenshots/keys-*.png
 * and recording-annotated.png.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation, RecordingPredictions, RecordingSummary, Session } from '../../electron/api/transport/contract.ts';
import { labelColour } from '../../renderer/src/lib/colors.ts';
import { SHORTCUTS } from '../../renderer/src/lib/shortcuts.ts';
import { chromiumAvailable, CHROMIUM_PATH } from '../helpers/chromium.ts';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import { viewShot } from '../helpers/screenshots.ts';
import type { ServeProcess } from '../helpers/serve-process.ts';
import { encodeWav, voiced } from '../helpers/wav-writer.ts';

const screenshotDir = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'tmp', 'e2e-screenshots');
const SAMPLE_RATE = 22_050;
const CLIPS = [
  { name: 'a-first.wav', seconds: 4, hz: 180 },
  { name: 'b-second.wav', seconds: 3, hz: 260 },
];

function secondsOf(clock: string): number {
  const [minutes, seconds] = clock.split('/')[0].trim().split(':');
  return Number(minutes) * 60 + Number(seconds);
}

describe.skipIf(!chromiumAvailable)('keyboard-first annotation in Chromium, served by ser serve', () => {
  let workDir: string;
  let server: ServeProcess;
  let app: AppSession;
  let page: Page;
  let session: Session;
  let recording: RecordingSummary;

  const shot = (name: string) => page.screenshot({ path: join(screenshotDir, `keys-${name}.png`) });
  const clock = async () => secondsOf((await page.getByLabel('Playback position').textContent()) ?? '');
  const annotations = () => server.call<Annotation[]>('annotations.list', { sessionId: session.id });
  /** The waveform's visible time range, from the scroll position of wavesurfer's own scroller. */
  const visibleRange = () =>
    page.evaluate((duration) => {
      const scroller = document.querySelector('.waveform > div')!.shadowRoot!.querySelector<HTMLElement>('[part="scroll"]')!;
      return { start: (scroller.scrollLeft / scroller.scrollWidth) * duration, end: ((scroller.scrollLeft + scroller.clientWidth) / scroller.scrollWidth) * duration };
    }, CLIPS[0].seconds);

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-keys-e2e-'));
    const clipsDir = join(workDir, 'clips');
    mkdirSync(clipsDir);
    for (const c of CLIPS) writeFileSync(join(clipsDir, c.name), encodeWav({ sampleRate: SAMPLE_RATE, format: 'pcm16', channels: [voiced(c.hz, SAMPLE_RATE, c.seconds)] }));
    mkdirSync(screenshotDir, { recursive: true });
    console.log(`e2e screenshots: ${screenshotDir}/keys-*.png`);
    app = await openAppSession(workDir);
    ({ server, page } = app);
    await addFolder(page, clipsDir);
    await page.waitForFunction((n) => document.querySelectorAll('table[aria-label="Recordings"] tbody tr').length === n, CLIPS.length);
    [session] = await server.call<Session[]>('sessions.list');
    recording = (await server.call<RecordingSummary[]>('recordings.list')).find((r) => r.name === CLIPS[0].name)!;
  });

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('opens the next and previous recording with the arrow keys in the library list', async () => {
    const names = (await page.getByRole('table', { name: 'Recordings' }).locator('.open-button').allTextContents()).map((n) => n.trim());
    expect(names).toEqual(CLIPS.map((c) => c.name));
    await page.getByRole('button', { name: names[0] }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: names[0] }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.getByRole('heading', { name: names[1] }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(names[1]);
    await page.keyboard.press('ArrowUp');
    await page.getByRole('heading', { name: names[0] }).waitFor();
  });

  it('lists every shortcut of the table on ?, and Escape closes the list', async () => {
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor();
    const rows = sheet.locator('tbody tr:has(td)');
    expect(await rows.count()).toBe(SHORTCUTS.length);
    for (const [i, shortcut] of SHORTCUTS.entries()) {
      const row = rows.nth(i);
      expect(await row.locator('td').nth(1).textContent()).toBe(shortcut.action);
      expect(await row.locator('kbd').allTextContents()).toEqual(shortcut.keys);
    }
    await shot('sheet');
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });
  });

  it('annotates with keys alone: [ and ] (or I and O) at the playhead, then a digit; , and . jump between annotations', async () => {
    // The waveform is ready once the clock shows the decoded duration.
    await expect.poll(async () => (await page.getByLabel('Playback position').textContent())?.split('/')[1].trim()).toBe('0:04.00');
    await page.keyboard.press('ArrowRight');
    await expect.poll(clock).toBe(1);
    await page.keyboard.press('[');
    await page.getByText('In at 0:01.00').waitFor();
    // The in point shows on the waveform, a quarter of the way along the fitted 4 s.
    const inMark = page.locator('.wave-cell [data-mark="in"]');
    const wave = (await page.locator('.wave-cell').boundingBox())!;
    const mark = (await inMark.boundingBox())!;
    expect((mark.x - wave.x) / wave.width).toBeCloseTo(0.25, 1);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(clock).toBe(3);
    await page.keyboard.press(']');
    await page.keyboard.press('2');
    await expect.poll(async () => (await annotations()).length).toBe(1);
    expect((await annotations())[0]).toMatchObject({ recordingId: recording.id, startSec: 1, endSec: 3, label: session.labels[1] });
    expect(await inMark.count()).toBe(0);

    // The out point may come first; I and O do what [ and ] do.
    await page.keyboard.press('ArrowRight');
    await expect.poll(clock).toBe(4);
    await page.keyboard.press('o');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(clock).toBe(3);
    await page.keyboard.press('i');
    await page.keyboard.press('5');
    await expect.poll(async () => (await annotations()).length).toBe(2);
    expect((await annotations())[1]).toMatchObject({ startSec: 3, endSec: 4, label: session.labels[4] });

    const selected = () => page.getByRole('list', { name: 'Annotations' }).locator('[aria-pressed="true"]').textContent();
    await page.keyboard.press(',');
    await expect.poll(selected).toContain(session.labels[1]);
    await expect.poll(clock).toBe(1);
    await page.keyboard.press('.');
    await expect.poll(selected).toContain(session.labels[4]);
    await expect.poll(clock).toBe(3);
  });

  it('plays the selection once (P), and loops it (L) until L again', async () => {
    await page.keyboard.press(',');
    await expect.poll(clock).toBe(1);
    await page.keyboard.press('p');
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    // Two seconds of audio; the wait is long because a loaded machine can stall the media element on its ranges.
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor({ timeout: 30_000 });
    // Stopped at the out point (3 s), not at the end of the recording (4 s).
    expect(await clock()).toBeGreaterThan(2.8);
    expect(await clock()).toBeLessThan(3.3);

    await page.keyboard.press('.');
    await page.keyboard.press('l');
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    // Twice the selection's second later it is still playing, and still inside it.
    const seen: number[] = [];
    for (let i = 0; i < 10; i++) {
      await page.waitForTimeout(200);
      seen.push(await clock());
    }
    expect(await page.getByRole('button', { name: 'Pause' }).count()).toBe(1);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(2.95);
    // It went back to the in point at least once.
    expect(seen.some((t, i) => i > 0 && t < seen[i - 1])).toBe(true);
    await page.keyboard.press('l');
    await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  });

  it('zooms to the selection (Z), zooms with Ctrl+wheel and scrolls along time with the wheel', async () => {
    const zoomValue = () => page.getByLabel('Zoom').getAttribute('aria-valuetext');
    await page.keyboard.press(',');
    await page.keyboard.press('z');
    await expect.poll(zoomValue).not.toBe('fit');
    // The 1-3 s selection fills the view, with a small margin either side.
    await expect.poll(async () => (await visibleRange()).start).toBeGreaterThan(0.75);
    const zoomed = await visibleRange();
    expect(zoomed.start).toBeLessThan(1);
    expect(zoomed.end).toBeGreaterThan(3);
    expect(zoomed.end).toBeLessThan(3.35);
    await page.keyboard.press('z');
    await expect.poll(zoomValue).toBe('fit');

    const box = (await page.locator('.waveform').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 50);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -300);
    await page.keyboard.up('Control');
    await expect.poll(zoomValue).toMatch(/pixels per second$/);
    const before = await visibleRange();
    expect(before.end - before.start).toBeLessThan(CLIPS[0].seconds);
    await page.mouse.wheel(0, 200);
    await expect.poll(async () => (await visibleRange()).start).toBeGreaterThan(before.start + 0.05);
  });

  it('reads out every class at the pointer on the emotion timeline, hides a line from the legend, and fills the height', { timeout: 120_000 }, async () => {
    await page.getByLabel('Zoom').evaluate((input: HTMLInputElement) => {
      input.value = '0';
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.keyboard.press('c');
    const timeline = page.getByRole('img', { name: /Emotion timeline: \d+ windows/ });
    await timeline.waitFor({ timeout: 90_000 });
    const predictions = await server.call<RecordingPredictions>('recordings.predictions', { id: recording.id });

    const plot = (await timeline.boundingBox())!;
    // The plot takes the height the view leaves it, well beyond its former fixed 120 px.
    const tracks = (await page.locator('.tracks').boundingBox())!;
    expect(plot.height).toBeGreaterThan(160);
    expect(tracks.y + tracks.height - (plot.y + plot.height)).toBeLessThan(60);

    const at = 0.6 * CLIPS[0].seconds;
    await page.mouse.move(plot.x + 0.6 * plot.width, plot.y + plot.height / 2);
    const readout = page.getByRole('tooltip', { name: /^Probabilities at 0:02\.\d\d$/ });
    await readout.waitFor();
    const shown = await readout.locator('li').evaluateAll((items) => items.map((li) => ({ label: li.getAttribute('data-label')!, p: Number(li.getAttribute('data-p')) })));
    const window = predictions.windows.filter((w) => w.startSec <= at).at(-1)!;
    const expected = predictions.labels.map((label, k) => ({ label, p: window.probabilities[k] })).sort((a, b) => b.p - a.p);
    expect(shown).toEqual(expected);
    expect(await readout.locator('li.top .name').textContent()).toBe(expected[0].label);
    await shot('readout');
    await page.mouse.move(plot.x + plot.width / 2, plot.y - 40);
    await readout.waitFor({ state: 'hidden' });

    // The most probable class on average draws the longest line: hidden from the legend, its colour leaves the plot.
    const strongest = predictions.labels[predictions.mean.indexOf(Math.max(...predictions.mean))];
    const colourPixels = () =>
      timeline.locator('canvas').evaluate((canvas: HTMLCanvasElement, hex) => {
        const n = Number.parseInt(hex.slice(1), 16);
        const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
        // Below the band (16 px), where only the lines are (a line at 1.0 runs along 22 px).
        const data = canvas.getContext('2d')!.getImageData(0, 18, canvas.width, canvas.height - 18).data;
        let count = 0;
        for (let i = 0; i < data.length; i += 4) if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30 && data[i + 3] > 200) count++;
        return count;
      }, labelColour(strongest, predictions.labels));
    const withLine = await colourPixels();
    expect(withLine).toBeGreaterThan(50);
    const key = page.getByRole('group', { name: /^Emotion classes/ }).getByRole('button', { name: strongest, exact: true });
    expect(await key.getAttribute('aria-pressed')).toBe('true');
    await key.click();
    expect(await key.getAttribute('aria-pressed')).toBe('false');
    await expect.poll(colourPixels).toBeLessThan(withLine / 5);
    await key.click();
    await viewShot(page, 'recording-annotated', { wide: true });
  });

  it('raised no errors in the page', () => {
    expect(app.pageErrors).toEqual([]);
  });
});

if (!chromiumAvailable) {
  describe('keyboard-first annotation in Chromium', () => {
    it.skip(`needs Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set SER_CHROMIUM)`, () => {});
  });
}
