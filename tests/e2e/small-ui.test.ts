/**
 * Small things a new user trips over (issue 16, item 5), in real Chromium against `ser serve`: a two-actor data
 * set too small for the default minimum says which classes training leaves out and why; the Train view does not
 * open on a one-clip set inspected last; counts read "1 clip"; no empty "every file was read" card; no loss axis
 * of zeros before the first epoch; the confusion matrix's last column label is whole; the Models view shows
 * labels, not metadata keys, and one percent format; the live view's save notice names the file; and the page
 * logs no CSP error (frame-ancestors in a <meta>).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingSummary, TrainingState } from '../../electron/api/transport/contract.ts';
import { createRandom } from '../../electron/shared/random.ts';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import { chromiumAvailable, fakeMicrophoneArgs } from '../helpers/chromium.ts';
import { toyClip, TOY_RATE } from '../helpers/toy-data.ts';
import { encodeWav } from '../helpers/wav-writer.ts';

/** Two of the bundled model's labels, "surprised" last as in its label order; two actors, six clips each. */
const LABELS = ['neutral', 'surprised'] as const;
const CLIPS_PER_LABEL = 6;

/** A labels CSV naming `clips` clips per label over two actors, in dir. */
function writeSet(dir: string, clips: number, labels: readonly string[], seed: number): string {
  const random = createRandom(seed);
  mkdirSync(join(dir, 'clips'), { recursive: true });
  const rows = ['path,label,speaker,gender'];
  for (const [i, label] of labels.entries()) {
    for (let n = 0; n < clips; n++) {
      const file = `clips/${label}-${n}.wav`;
      writeFileSync(join(dir, file), encodeWav({ sampleRate: TOY_RATE, format: 'pcm16', channels: [toyClip(i === 0 ? 'low' : 'high', random, 1)] }));
      rows.push(`${file},${label},actor${(n % 2) + 1},${n % 2 ? 'female' : 'male'}`);
    }
  }
  writeFileSync(join(dir, 'labels.csv'), `${rows.join('\n')}\n`);
  return join(dir, 'labels.csv');
}

describe.skipIf(!chromiumAvailable)('small things in the studio views, in Chromium', () => {
  let workDir: string;
  let libraryDir: string;
  let setDir: string;
  let oneDir: string;
  let app: AppSession;
  let page: Page;

  const tab = (name: string) => page.getByRole('tab', { name, exact: true });

  async function inspect(dir: string, minClips: number): Promise<void> {
    await tab('Data sets').click();
    await page.getByLabel('Data set folder').fill(dir);
    await page.getByLabel('Labels CSV').fill(join(dir, 'labels.csv'));
    await page.getByLabel('Minimum clips per label').fill(String(minClips));
    await page.getByRole('button', { name: 'Inspect' }).click();
    await page.getByRole('region', { name: 'Data set report' }).getByRole('heading', { name: dir }).waitFor({ timeout: 60_000 });
  }

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-small-ui-'));
    libraryDir = join(workDir, 'library');
    setDir = join(libraryDir, 'two-actors');
    oneDir = join(libraryDir, 'one-clip');
    writeSet(setDir, CLIPS_PER_LABEL, LABELS, 5);
    // Another seed: the same audio would be the same recording to the library.
    writeSet(oneDir, 1, ['neutral'], 6);
    const microphoneWav = join(workDir, 'microphone.wav');
    writeFileSync(microphoneWav, encodeWav({ sampleRate: TOY_RATE, format: 'pcm16', channels: [toyClip('high', createRandom(3), 5)] }));
    app = await openAppSession(workDir, { env: { SER_DATA_DIR: join(workDir, 'data'), SER_CACHE_DIR: join(workDir, 'cache') }, chromiumArgs: fakeMicrophoneArgs(microphoneWav) });
    page = app.page;
  });

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('shows no "files left out" card when every file was read and labelled', { timeout: 120_000 }, async () => {
    await page.getByText('Your library is empty.').waitFor();
    await addFolder(page, libraryDir);
    await expect.poll(async () => (await app.server.call<RecordingSummary[]>('recordings.list')).length, { timeout: 90_000 }).toBe(2 * CLIPS_PER_LABEL + 1);
    await inspect(setDir, 20);
    expect(await page.getByRole('region', { name: 'Files left out' }).count()).toBe(0);
    expect(await page.getByText('Every file was read and labelled').count()).toBe(0);
  });

  it('says which classes the default minimum of 20 clips leaves out of training, and why', async () => {
    await tab('Train').click();
    const form = page.getByRole('form', { name: 'Training setup' });
    const note = form.getByRole('status', { name: 'Labels left out' });
    const text = (await note.textContent())?.replace(/\s+/g, ' ') ?? '';
    expect(text).toContain(`Left out: neutral (${CLIPS_PER_LABEL} clips), surprised (${CLIPS_PER_LABEL} clips)`);
    expect(text).toContain('fewer than 20 clips');
    expect(text).toContain('lower the minimum');
    expect(await form.getByText('Pick at least two labels.').count()).toBe(0);
  });

  it('opens the Train view on a set it can train on, not a one-clip set inspected last, and says "1 clip"', async () => {
    await inspect(setDir, 1);
    await inspect(oneDir, 1);
    await tab('Train').click();
    const form = page.getByRole('form', { name: 'Training setup' });
    const picker = form.getByLabel('Training data set');
    expect(await picker.locator('option:checked').textContent()).toBe(`${setDir} (${2 * CLIPS_PER_LABEL} clips)`);
    expect(await picker.locator('option').allTextContents()).toContain(`${oneDir} (1 clip)`);
    expect((await form.getByText(/inspected last, has fewer than two labels/).textContent()) ?? '').toContain(oneDir);
    expect(await form.getByRole('status', { name: 'Labels left out' }).count()).toBe(0);
  });

  it('draws no loss axis of zeros before the first epoch: it says it is waiting for it', { timeout: 120_000 }, async () => {
    const form = page.getByRole('form', { name: 'Training setup' });
    await form.getByLabel('Base model', { exact: true }).selectOption({ label: 'Nothing: train from scratch' });
    await form.getByLabel('Epochs', { exact: true }).fill('1');
    // Every change to the progress panel, from the click on: a moment with an empty chart cannot slip past.
    await page.evaluate(() => {
      const seen: { waiting: boolean; lossTicks: string[] | null }[] = [];
      (window as unknown as { curves: typeof seen }).curves = seen;
      new MutationObserver(() => {
        const region = document.querySelector('section[aria-label="Training progress"]');
        const loss = region?.querySelector('svg[aria-label^="Loss"]');
        seen.push({
          waiting: Boolean(region?.querySelector('[aria-label="Curves"]')),
          lossTicks: loss ? [...loss.querySelectorAll('text.tick[text-anchor="end"]')].map((t) => t.textContent ?? '') : null,
        });
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    await form.getByRole('button', { name: 'Start training' }).click();
    await page.getByText('Waiting for the first epoch').waitFor({ timeout: 60_000 });
    const progress = page.getByRole('region', { name: 'Training progress' });
    await progress.getByRole('status').getByText(/^(Finished|Cancelled|Failed)/).waitFor({ timeout: 100_000 });
    const seen = await page.evaluate(() => (window as unknown as { curves: { waiting: boolean; lossTicks: string[] | null }[] }).curves);
    expect(seen.some((s) => s.waiting && s.lossTicks === null)).toBe(true);
    const zeroAxes = seen.filter((s) => s.lossTicks !== null && s.lossTicks.length > 0 && s.lossTicks.every((t) => Number(t) === 0));
    expect(zeroAxes).toEqual([]);
    expect((await app.server.call<TrainingState | null>('training.state'))?.status).toBe('completed');
  });

  it('shows the whole of the last column label ("surprised") in the confusion matrix', { timeout: 120_000 }, async () => {
    await tab('Evaluate').click();
    const run = page.getByRole('form', { name: 'Run an evaluation' });
    await run.getByLabel('Model to evaluate').selectOption({ index: 0 });
    await run.getByLabel('Evaluation data set').selectOption({ label: `${setDir} (${2 * CLIPS_PER_LABEL} clips)` });
    await run.getByRole('button', { name: 'Evaluate', exact: true }).click();
    const heatMap = page.getByRole('img', { name: /^Confusion matrix/ }).first();
    await heatMap.waitFor({ timeout: 100_000 });
    const label = heatMap.locator('text.label[transform]').last();
    expect(await label.textContent()).toBe('surprised');
    await label.scrollIntoViewIfNeeded();
    // The middle of its last letter, just above the baseline: what is drawn there is the label, not clipped away.
    const hit = await label.evaluate((text: SVGTextElement) => {
      const last = text.getNumberOfChars() - 1;
      const start = text.getStartPositionOfChar(last);
      const end = text.getEndPositionOfChar(last);
      const point = new DOMPoint((start.x + end.x) / 2, (start.y + end.y) / 2 - 3).matrixTransform(text.getScreenCTM()!);
      return document.elementFromPoint(point.x, point.y) === text;
    });
    expect(hit).toBe(true);
  });

  it('labels model metadata in words, accuracies as one-decimal percents', async () => {
    await tab('Models').click();
    const table = page.getByRole('table', { name: 'Models' });
    await table.locator('tbody tr').first().waitFor();
    const text = (await table.textContent()) ?? '';
    for (const raw of ['createdAt', 'baseModel', 'validation_accuracy', 'validation accuracy0.']) expect(text).not.toContain(raw);
    expect(text).toContain('Created');
    // Every accuracy is a percent with one decimal, as the headline's "52.2%": no bare fraction such as 0.4917.
    const accuracies = await table.locator('dt').evaluateAll((terms) =>
      terms.filter((t) => /accuracy/i.test(t.textContent ?? '')).map((t) => t.nextElementSibling?.textContent?.trim() ?? ''),
    );
    expect(accuracies.length).toBeGreaterThan(0);
    for (const value of accuracies) expect(value).toMatch(/^\d{1,3}\.\d%/);
  });

  it('names the saved file in the live view\'s notice', { timeout: 90_000 }, async () => {
    const before = await app.server.call<RecordingSummary[]>('recordings.list');
    await tab('Live').click();
    await page.getByLabel('Record to the library').check();
    await page.getByRole('button', { name: 'Start listening' }).click();
    await page.getByRole('button', { name: 'Stop' }).waitFor();
    await expect.poll(() => page.getByLabel('Seconds streamed').textContent(), { timeout: 30_000 }).not.toBe('0:00');
    await page.getByRole('button', { name: 'Stop' }).click();
    const notice = page.getByText(/^Saved .* with its predictions\.$/);
    await notice.waitFor({ timeout: 30_000 });
    const after = await app.server.call<RecordingSummary[]>('recordings.list');
    const saved = after.find((r) => !before.some((b) => b.id === r.id));
    expect(saved).toBeDefined();
    expect(await notice.textContent()).toBe(`Saved ${saved!.path} with its predictions.`);
  });

  it('raised no errors in the page (a CSP <meta> with frame-ancestors logs one)', () => {
    expect(app.pageErrors).toEqual([]);
  });
});
