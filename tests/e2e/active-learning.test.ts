/**
 * Active learning in Chromium, served by ser serve: "Label next" classifies what the model has not
 * seen, opens the stretch it is least sure of with its suggestion selected, Enter accepts and a
 * digit corrects; after a chosen number of labels one click fine-tunes the active model on the
 * session (its held-out labels left out), makes the result active, reclassifies and re-ranks; both
 * models' accuracy on the held-out labels shows. Screenshots go to tmp/e2e-screenshots/learning-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation, HeldOutAccuracy, LabelQueue, ModelEntry, Session, TrainingState } from '../../electron/api/transport/contract.ts';
import { isHeldOut } from '../../electron/annotation/held-out.ts';
import { createRandom } from '../../electron/shared/random.ts';
import { chromiumAvailable, CHROMIUM_PATH } from '../helpers/chromium.ts';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import { viewShot } from '../helpers/screenshots.ts';
import type { ServeProcess } from '../helpers/serve-process.ts';
import { encodeWav, voiced } from '../helpers/wav-writer.ts';

const screenshotDir = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'tmp', 'e2e-screenshots');
const RATE = 22_050;
/** Four 9 s voices: 3 s windows every 1.5 s, three stretches each that do not overlap by half. */
/** Labels given before the fine-tune. */
const LABELS_BEFORE_TUNE = 6;
const CLIPS = [110, 160, 230, 320].map((f0, i) => ({ name: `voice-${i + 1}.wav`, f0 }));

describe.skipIf(!chromiumAvailable)('active learning in Chromium, served by ser serve', () => {
  let workDir: string;
  let server: ServeProcess;
  let app: AppSession;
  let page: Page;
  let session: Session;

  const shot = (name: string) => page.screenshot({ path: join(screenshotDir, `learning-${name}.png`) });
  const annotations = () => server.call<Annotation[]>('annotations.list', { sessionId: session.id });
  const panel = () => page.getByRole('region', { name: /^Label next/ });
  const queue = () => server.call<LabelQueue>('learning.queue', { sessionId: session.id, limit: 200 });

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-learning-e2e-'));
    const clipsDir = join(workDir, 'clips');
    mkdirSync(clipsDir);
    // Faint noise makes every stretch's clip its own: training drops clips of the same content as duplicates.
    const random = createRandom(3);
    for (const c of CLIPS) {
      const samples = voiced(c.f0, RATE, 9).map((v) => v + 0.003 * random.normal());
      writeFileSync(join(clipsDir, c.name), encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [samples] }));
    }
    mkdirSync(screenshotDir, { recursive: true });
    app = await openAppSession(workDir, { env: { SER_DATA_DIR: join(workDir, 'data'), SER_CACHE_DIR: join(workDir, 'cache') } });
    ({ server, page } = app);
    await addFolder(page, clipsDir);
    await page.waitForFunction((n) => document.querySelectorAll('table[aria-label="Recordings"] tbody tr').length === n, CLIPS.length);
    [session] = await server.call<Session[]>('sessions.list');
  });

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  /** Waits until the panel asks about the queue's first stretch and its recording is open with that stretch selected. */
  async function askedAbout(): Promise<LabelQueue['items'][number]> {
    const [first] = (await queue()).items;
    await page.getByRole('heading', { name: first.name }).waitFor();
    await expect.poll(() => panel().getByLabel('Suggestion').locator('.name').textContent()).toBe(first.suggestion);
    await page.locator('.wave-cell [data-mark="in"], .wave-cell .draft, [part~="region"]').first().waitFor({ state: 'attached' }).catch(() => undefined);
    return first;
  }

  it('classifies the library first, then opens the least sure stretch with its suggestion', { timeout: 180_000 }, async () => {
    await page.getByRole('button', { name: 'Label next' }).click();
    await expect.poll(async () => (await queue()).unclassified.length, { timeout: 120_000 }).toBe(0);
    const first = await askedAbout();
    expect(first.uncertainty).toBeGreaterThan(0);
    await viewShot(page, 'learning-asked', { wide: true, clip: { x: 600, y: 0, width: 760, height: 560 } });
  });

  it('accepts the suggestion with Enter and corrects it with a digit, each time at the stretch asked about', { timeout: 120_000 }, async () => {
    const labels = (await server.call<ModelEntry[]>('models.list')).find((m) => m.active)!.labels;
    // Enter once, then digits: two classes of at least two labels each besides the held-out fifth (a fine-tune needs them).
    const keys = ['Enter', '3', '4', '4', '3', '3'];
    expect(keys.length).toBe(LABELS_BEFORE_TUNE);
    // Folding the library and back, by the button and by B, while a stretch is asked about leaves Enter to accept it:
    // a clicked toggle kept the focus, so Enter pressed the toggle (folding the sidebar) and labelled nothing.
    await askedAbout();
    const toggle = page.getByRole('button', { name: 'Library sidebar' });
    for (const fold of [() => toggle.click(), () => page.keyboard.press('b')]) {
      await fold();
      await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('false');
      await fold();
      await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('true');
    }
    for (const key of keys) {
      const item = await askedAbout();
      const before = (await annotations()).length;
      await page.keyboard.press(key);
      await expect.poll(async () => (await annotations()).length).toBe(before + 1);
      const added = (await annotations()).reduce((a, b) => (b.id > a.id ? b : a));
      expect([added.recordingId, added.startSec, added.endSec, added.label]).toEqual([item.recordingId, item.startSec, item.endSec, key === 'Enter' ? item.suggestion : labels[Number(key) - 1]]);
    }
    await expect.poll(() => panel().getByLabel('New labels').textContent()).toBe(`${LABELS_BEFORE_TUNE} of 10 new labels`);
    // N leaves a stretch for later: the panel moves on without a label.
    const skipped = await askedAbout();
    const at = Number((await panel().locator('.count').textContent())!.split(' ')[0]);
    await page.keyboard.press('n');
    await expect.poll(async () => Number((await panel().locator('.count').textContent())!.split(' ')[0])).toBe(at + 1);
    expect((await annotations()).some((a) => a.recordingId === skipped.recordingId && a.startSec === skipped.startSec)).toBe(false);
  });

  it('fine-tunes on the session without its held-out labels, makes the new model active and shows both on them', { timeout: 300_000 }, async () => {
    const heldOut = (await annotations()).filter((a) => isHeldOut(a.id));
    expect(heldOut.length).toBe(1);
    const fineTune = panel().getByRole('button', { name: 'Fine-tune on this session' });
    expect(await fineTune.isDisabled()).toBe(true);
    await panel().getByLabel('Fine-tune after').fill(String(LABELS_BEFORE_TUNE));
    await fineTune.click();
    await panel().getByRole('status').waitFor();
    await expect.poll(async () => (await server.call<ModelEntry[]>('models.list')).find((m) => m.active)!.bundled, { timeout: 240_000 }).toBe(false);
    const scores = panel().getByRole('group', { name: 'Accuracy on your held-out labels' }).locator('li');
    await expect.poll(() => scores.count(), { timeout: 120_000 }).toBe(2);
    const expected = await server.call<HeldOutAccuracy>('learning.heldOut', { sessionId: session.id });
    expect(expected.heldOut).toBe(1);
    const shown = await scores.evaluateAll((items) => items.map((li) => [li.querySelector('.model')!.textContent, Number(li.getAttribute('data-correct')), Number(li.getAttribute('data-n'))]));
    expect(shown).toEqual(expected.models.map((m) => [m.name, m.correct, m.n]));
    const active = (await server.call<ModelEntry[]>('models.list')).find((m) => m.active)!;
    expect(active.name).toBe(`ser-cnn + ${session.name}`);
    // The fine-tune learnt from the annotations that are not held out, of the classes labelled at least twice.
    const taught = (await annotations()).filter((a) => !isHeldOut(a.id));
    const perClass = new Map<string, number>();
    for (const a of taught) perClass.set(a.label, (perClass.get(a.label) ?? 0) + 1);
    const expectedClips = [...perClass.values()].filter((n) => n >= 2).reduce((sum, n) => sum + n, 0);
    const notes = (await server.call<TrainingState>('training.state'))!.notes.join('\n');
    const [, trained, validated] = /(\d+) training, (\d+) validation, 0 test clips/.exec(notes)!;
    expect(Number(trained) + Number(validated)).toBe(expectedClips);
    expect(await panel().getByLabel('New labels').textContent()).toBe(`0 of ${LABELS_BEFORE_TUNE} new labels`);
    await askedAbout();
    await shot('tuned');
  });

  it('raised no errors in the page', () => {
    expect(app.pageErrors).toEqual([]);
  });
});

if (!chromiumAvailable) {
  describe('active learning in Chromium', () => {
    it.skip(`needs Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set SER_CHROMIUM)`, () => {});
  });
}
