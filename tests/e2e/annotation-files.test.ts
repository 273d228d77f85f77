/**
 * Annotation files in the recording view, end to end in real Chromium against `ser serve`: a Praat
 * TextGrid and an Audacity label track imported into a recording become tiers whose annotations the
 * panel shows, and the session goes back out as ELAN and TextGrid files read back with our readers; labels the
 * session lacks are matched in a dialog first (screenshot: tmp/e2e-screenshots/import-label-mapping.png).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation, Session, Tier } from '../../electron/api/transport/contract.ts';
import { readEaf } from '../../electron/interop/eaf.ts';
import { readTextGrid } from '../../electron/interop/textgrid.ts';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import { viewShot } from '../helpers/screenshots.ts';
import { chromiumAvailable } from '../helpers/chromium.ts';
import { AUDACITY_EMOTIONS, TEXTGRID_SHORT_EMOTIONS } from '../helpers/interop-fixtures.ts';
import { encodeWav } from '../helpers/wav-writer.ts';

const SAMPLE_RATE = 22_050;
const tone = (hz: number) => Float32Array.from({ length: 2 * SAMPLE_RATE }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / SAMPLE_RATE));

describe.skipIf(!chromiumAvailable)('annotation files in the recording view, in Chromium served by ser serve', () => {
  let workDir: string;
  let clipsDir: string;
  let app: AppSession;
  let page: Page;
  let session: Session;

  /** The panel's list, as "label start–end". */
  const listed = async () => (await page.getByRole('list', { name: 'Annotations' }).locator('li').allTextContents()).map((t) => t.trim().replace(/\s+/g, ' '));
  const tier = () => page.getByRole('combobox', { name: 'Tier', exact: true });
  const importFile = async (path: string) => {
    await page.getByLabel('Annotation file to import').fill(path);
    await page.getByRole('button', { name: 'Import file' }).click();
  };

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-e2e-annotation-files-'));
    clipsDir = join(workDir, 'clips');
    mkdirSync(clipsDir);
    // Two tones: the library keeps one recording of identical files.
    for (const [name, hz] of [['interview.wav', 220], ['other.wav', 330]] as const) {
      writeFileSync(join(clipsDir, name), encodeWav({ sampleRate: SAMPLE_RATE, format: 'pcm16', channels: [tone(hz)] }));
    }
    writeFileSync(join(clipsDir, 'interview.TextGrid'), TEXTGRID_SHORT_EMOTIONS);
    writeFileSync(join(clipsDir, 'ben.txt'), AUDACITY_EMOTIONS);
    app = await openAppSession(workDir);
    page = app.page;
    await addFolder(page, clipsDir);
    await page.getByRole('button', { name: 'interview.wav' }).click();
    await page.getByRole('heading', { name: 'interview.wav' }).waitFor();
    [session] = await app.server.call<Session[]>('sessions.list');
  });

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('imports a TextGrid and an Audacity label track as tiers, each shown on its own', async () => {
    const textGrid = join(clipsDir, 'interview.TextGrid');
    await page.getByLabel('Annotation file to import').fill(textGrid);
    // The format follows the extension unless chosen.
    expect(await page.getByLabel('Import format').locator('option').first().textContent()).toBe('Praat TextGrid (from the name)');
    await page.getByRole('button', { name: 'Import file' }).click();
    await page.getByRole('status').filter({ hasText: 'emotion: 2 added' }).waitFor();
    await tier().selectOption({ label: 'emotion' });
    await expect.poll(listed).toEqual(['happy 0:00.3–0:01.1', 'sad 0:01.1–0:02.0']);

    await importFile(join(clipsDir, 'ben.txt'));
    await page.getByRole('status').filter({ hasText: 'ben: 2 added' }).waitFor();
    await tier().selectOption({ label: 'ben' });
    await expect.poll(listed).toEqual(['angry 0:00.1–0:00.6', 'calm 0:00.8–0:01.9']);

    // Importing the TextGrid again adds nothing; a broken file is refused with its line.
    await importFile(textGrid);
    await page.getByRole('status').filter({ hasText: 'emotion: 0 added, 2 already there' }).waitFor();
    const broken = join(clipsDir, 'broken.TextGrid');
    writeFileSync(broken, TEXTGRID_SHORT_EMOTIONS.replace('1.125\n2\n', '1.125\nlate\n'));
    await importFile(broken);
    const refusal = page.getByRole('alert').filter({ hasText: `${broken}: line 21:` });
    await refusal.getByRole('button', { name: 'Dismiss' }).click();
  });

  it("edits an annotation's intensity and note, and adds a tier of its own", async () => {
    await page.getByRole('list', { name: 'Annotations' }).getByRole('button', { name: /^angry/ }).click();
    await page.getByRole('combobox', { name: 'Intensity' }).selectOption('strong');
    await page.getByRole('textbox', { name: 'Note' }).fill('raised voice');
    await page.getByRole('textbox', { name: 'Note' }).blur();
    const angry = async () => (await app.server.call<Annotation[]>('annotations.list', { sessionId: session.id })).find((a) => a.label === 'angry');
    await expect.poll(async () => ({ intensity: (await angry())?.intensity, note: (await angry())?.note })).toEqual({ intensity: 'strong', note: 'raised voice' });
    // Deleted and undone, it comes back on its own tier, intensity and note and all.
    const ben = (await app.server.call<Tier[]>('tiers.list', { sessionId: session.id })).find((t) => t.name === 'ben')!;
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(angry).toBeUndefined();
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(async () => {
      const a = await angry();
      return a && { tierId: a.tierId, intensity: a.intensity, note: a.note };
    }).toEqual({ tierId: ben.id, intensity: 'strong', note: 'raised voice' });

    await page.getByLabel('New tier name').fill('arousal');
    await page.getByRole('button', { name: 'Add tier' }).click();
    const shown = () => tier().locator('option:checked').textContent();
    await expect.poll(shown).toBe('arousal');
    await expect.poll(listed).toEqual([]);
    // The next recording opens on the tier last shown, and so does this one again.
    await page.getByRole('button', { name: 'other.wav' }).click();
    await page.getByRole('heading', { name: 'other.wav' }).waitFor();
    await expect.poll(shown).toBe('arousal');
    await tier().selectOption({ label: 'emotion' });
    await page.getByRole('button', { name: 'interview.wav' }).click();
    await page.getByRole('heading', { name: 'interview.wav' }).waitFor();
    await expect.poll(shown).toBe('emotion');
    await expect.poll(listed).toEqual(['happy 0:00.3–0:01.1', 'sad 0:01.1–0:02.0']);
  });

  it('exports the session back as ELAN and TextGrid files holding the imported tiers', async () => {
    const out = join(clipsDir, 'exported');
    mkdirSync(out);
    await page.getByLabel('Export folder').fill(out);
    await page.getByLabel('Export format').selectOption('eaf');
    await page.getByRole('button', { name: 'Export files' }).click();
    const eafPath = join(out, 'interview.eaf');
    await page.getByRole('status').filter({ hasText: `Wrote ${eafPath}` }).waitFor();
    const eaf = readEaf(readFileSync(eafPath, 'utf8'), eafPath);
    const spans = (doc: typeof eaf) =>
      Object.fromEntries(doc.tiers.map((t) => [t.name, t.kind === 'interval' ? t.intervals.filter((i) => i.label !== '').map((i) => [i.start, i.end, i.label]) : []]));
    const imported = {
      emotion: [
        [0.25, 1.125, 'happy'],
        [1.125, 2, 'sad'],
      ],
      ben: [
        [0.1, 0.6, 'angry'],
        [0.8, 1.9, 'calm'],
      ],
    };
    expect(spans(eaf)).toMatchObject(imported);

    await page.getByLabel('Export format').selectOption('textgrid');
    await page.getByRole('button', { name: 'Export files' }).click();
    const textGridPath = join(out, 'interview.TextGrid');
    await page.getByRole('status').filter({ hasText: `Wrote ${textGridPath}` }).waitFor();
    expect(spans(readTextGrid(readFileSync(textGridPath, 'utf8'), textGridPath))).toMatchObject(imported);
    // Nothing went wrong in the page but the broken file's refusal.
    expect(app.pageErrors).toEqual([
      expect.stringMatching(/^400 .*\/api\/call\/annotations\.labelsOf$/),
      'Failed to load resource: the server responded with a status of 400 (Bad Request)',
    ]);
  });

  it("asks what the file's labels the session lacks become, then imports them so", async () => {
    const path = join(clipsDir, 'feelings.txt');
    writeFileSync(path, '0\t0.5\tHappy\n0.5\t1\tbored\n1\t1.5\tmeh\n');
    await importFile(path);
    const dialog = page.getByRole('dialog', { name: "Match the file's labels to the session's" });
    await dialog.waitFor();
    // The same name but for case is the likely answer; the others wait for the user.
    expect(await dialog.getByLabel('“Happy” becomes').inputValue()).toBe('happy');
    expect(await dialog.getByLabel('“bored” becomes').inputValue()).toBe('');
    await dialog.getByLabel('“bored” becomes').selectOption('sad');
    await viewShot(page, 'import-label-mapping', { of: dialog });
    await dialog.getByRole('button', { name: 'Import' }).click();
    await page.getByRole('status').filter({ hasText: 'feelings: 2 added' }).waitFor();
    await tier().selectOption({ label: 'feelings' });
    // "meh" was left out, as the dialog offered by default.
    await expect.poll(listed).toEqual(['happy 0:00.0–0:00.5', 'sad 0:00.5–0:01.0']);
  });
});
