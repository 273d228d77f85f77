/**
 * A label set of the user's own (issue 15 item 2), in real Chromium against `ser serve`: the New session dialog
 * defines an "arousal" ordinal scale 1–5 by its quick fill, with custom colours and a key, refusing a key a shortcut
 * has; the session starts on it, the palette and the annotation list wear its colours, its key labels a stretch and
 * a digit still labels a class without one; the API reads the annotations back. Then the dialog edits the set (a
 * class annotations carry cannot be renamed, a new step and a key can be added, and the palette and the hints follow)
 * and refuses to delete it while the session is on it, deletes an unused set, and leaves the built-in set alone. The
 * dialog's screenshots go to tmp/e2e-screenshots/label-set-dialog.png and label-set-edit.png.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation, LabelSetInfo, Session } from '../../electron/api/transport/contract.ts';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import { chromiumAvailable } from '../helpers/chromium.ts';
import { viewShot } from '../helpers/screenshots.ts';
import { encodeWav, voiced } from '../helpers/wav-writer.ts';

const SAMPLE_RATE = 22_050;

describe.skipIf(!chromiumAvailable)('a label set defined in the New session dialog, in Chromium', () => {
  let workDir: string;
  let app: AppSession;
  let page: Page;

  const clock = async () => {
    const [minutes, seconds] = ((await page.getByLabel('Playback position').textContent()) ?? '').split('/')[0].trim().split(':');
    return Number(minutes) * 60 + Number(seconds);
  };
  const borderColour = (name: string) => page.getByRole('button', { name }).evaluate((el) => getComputedStyle(el).borderLeftColor);

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-label-sets-e2e-'));
    const clipsDir = join(workDir, 'clips');
    mkdirSync(clipsDir);
    writeFileSync(join(clipsDir, 'rated.wav'), encodeWav({ sampleRate: SAMPLE_RATE, format: 'pcm16', channels: [voiced(200, SAMPLE_RATE, 4)] }));
    app = await openAppSession(workDir);
    page = app.page;
    await addFolder(page, clipsDir);
    await page.waitForFunction(() => document.querySelectorAll('table[aria-label="Recordings"] tbody tr').length === 1);
  });

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('defines arousal 1–5 with its colours and a key, starts a session on it and labels by key and by digit', { timeout: 120_000 }, async () => {
    await page.getByRole('button', { name: 'New session' }).click();
    const dialog = page.getByRole('dialog', { name: 'New labelling session' });
    await dialog.getByLabel('Name', { exact: true }).fill('arousal rating');
    await dialog.getByRole('combobox', { name: 'Label set' }).selectOption({ label: 'New label set…' });
    await dialog.getByLabel('Label set name').fill('arousal');
    await dialog.getByLabel('Steps of the scale').fill('5');
    await dialog.getByRole('button', { name: 'Fill 1–5' }).click();
    expect(await dialog.getByRole('radio', { name: 'Ordinal scale' }).isChecked()).toBe(true);
    for (let i = 1; i <= 5; i++) expect(await dialog.getByLabel(`Class ${i} name`).inputValue()).toBe(String(i));
    await dialog.getByLabel('Class 1 colour').fill('#1f3a93');
    await dialog.getByLabel('Class 5 colour').fill('#d03f3f');
    // A key a shortcut has is refused before anything is sent.
    await dialog.getByLabel('Class 5 key').fill('p');
    await dialog.getByText('p is taken: Play the selection.').waitFor();
    expect(await dialog.getByRole('button', { name: 'Create session' }).isDisabled()).toBe(true);
    await dialog.getByLabel('Class 5 key').fill('q');
    await viewShot(page, 'label-set-dialog', { of: dialog });
    await dialog.getByRole('button', { name: 'Create session' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const session = (await app.server.call<Session[]>('sessions.list')).find((s) => s.name === 'arousal rating')!;
    expect(session.labels).toEqual(['1', '2', '3', '4', '5']);
    expect(session.labelSet).toMatchObject({ name: 'arousal', kind: 'ordinal' });
    expect(session.labelSet.classes[0]).toEqual({ name: '1', colour: '#1f3a93', key: null });
    expect(session.labelSet.classes[4]).toEqual({ name: '5', colour: '#d03f3f', key: 'q' });
    expect(await page.getByRole('combobox', { name: 'Labelling session' }).inputValue()).toBe(String(session.id));

    // Its waveform is ready once the clock shows the decoded duration; a click on the title leaves the keys to the view.
    await page.getByRole('button', { name: 'rated.wav' }).click();
    await expect.poll(async () => (await page.getByLabel('Playback position').textContent())?.split('/')[1].trim()).toBe('0:04.00');
    // The clock knows the duration from the decoder before wavesurfer has loaded the audio it seeks in.
    await page.locator('.waveform[data-ready="true"]').waitFor();
    // The palette: each step's key (its own, else its digit) and colour.
    await page.locator('.recording .title h2').click();
    const palette = page.getByRole('toolbar', { name: 'Label palette' });
    expect(await palette.locator('kbd').allTextContents()).toEqual(['1', '2', '3', '4', 'q']);
    expect(await borderColour('Label selection as 5 (q)')).toBe('rgb(208, 63, 63)');
    expect(await borderColour('Label selection as 1 (1)')).toBe('rgb(31, 58, 147)');

    // q labels 1–3 s with step 5; the digit 2 labels 3–4 s with step 2.
    const annotations = () => app.server.call<Annotation[]>('annotations.list', { sessionId: session.id });
    await page.keyboard.press('ArrowRight');
    await expect.poll(clock).toBe(1);
    await page.keyboard.press('[');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect.poll(clock).toBe(3);
    await page.keyboard.press(']');
    await page.keyboard.press('q');
    await expect.poll(async () => (await annotations()).map((a) => [a.startSec, a.endSec, a.label])).toEqual([[1, 3, '5']]);
    await page.keyboard.press('i');
    await page.keyboard.press('ArrowRight');
    await expect.poll(clock).toBe(4);
    await page.keyboard.press('o');
    await page.keyboard.press('2');
    await expect.poll(async () => (await annotations()).map((a) => [a.startSec, a.endSec, a.label])).toEqual([
      [1, 3, '5'],
      [3, 4, '2'],
    ]);
    // The ? sheet lists the session's own keys below the shortcut table.
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(await sheet.getByLabel("Keys of this session's classes").textContent()).toMatch(/q\s*5/);
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'hidden' });
    const dot = page.getByRole('list', { name: 'Annotations' }).getByRole('button', { name: /^5/ }).locator('.dot');
    expect(await dot.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(208, 63, 63)');
    expect(app.pageErrors).toEqual([]);
  });

  it('edits the set from the dialog by keyboard, refusing to rename a class in use, and deletes only an unused set', { timeout: 120_000 }, async () => {
    await app.server.call('labelSets.create', { name: 'spare', classes: [{ name: 'yes' }, { name: 'no' }] });
    await page.getByRole('button', { name: 'New session' }).click();
    const dialog = page.getByRole('dialog', { name: 'New labelling session' });
    const picker = dialog.getByRole('combobox', { name: 'Label set' });
    const editButton = dialog.getByRole('button', { name: 'Edit set…' });
    await picker.selectOption({ label: 'ravdess (neutral, calm, happy, sad, angry, fearful, disgust, surprised)' });
    expect(await editButton.isDisabled()).toBe(true);
    await picker.selectOption({ label: 'arousal (ordinal: 1, 2, 3, 4, 5)' });
    await editButton.focus();
    await page.keyboard.press('Enter');
    const editor = dialog.getByRole('group', { name: 'Edit label set “arousal”' });
    expect(await editor.getByLabel('Label set name').inputValue()).toBe('arousal');
    expect(await editor.getByLabel('Class 5 key').inputValue()).toBe('q');

    await editor.getByLabel('Label set name').fill('arousal 1-6');
    await editor.getByRole('button', { name: 'Add class' }).click();
    await editor.getByLabel('Class 6 name').fill('6');
    await editor.getByLabel('Class 2 key').fill('w');
    await viewShot(page, 'label-set-edit', { of: dialog });
    // "5" labels an annotation: renaming it is refused, and the store's count is shown.
    await editor.getByLabel('Class 5 name').fill('5+');
    await dialog.getByRole('button', { name: 'Save label set' }).click();
    await dialog.getByRole('alert').getByText('"5" is used by 1 annotation: relabel or delete them before renaming or removing that class').waitFor();
    await editor.getByLabel('Class 5 name').fill('5');
    await dialog.getByRole('button', { name: 'Save label set' }).click();
    await editor.waitFor({ state: 'hidden' });
    expect(await picker.locator('option:checked').textContent()).toBe('arousal 1-6 (ordinal: 1, 2, 3, 4, 5, 6)');
    const sets = await app.server.call<LabelSetInfo[]>('labelSets.list');
    expect(sets.find((s) => s.name === 'arousal 1-6')?.classes.map((c) => [c.name, c.key])).toEqual([
      ['1', null],
      ['2', 'w'],
      ['3', null],
      ['4', null],
      ['5', 'q'],
      ['6', null],
    ]);

    // A set the session is on stays, and the dialog says why.
    await editButton.click();
    await dialog.getByRole('button', { name: 'Delete label set' }).click();
    await dialog.getByRole('alert').getByText('label set "arousal 1-6" is used by session "arousal rating"').waitFor();
    await dialog.getByRole('button', { name: 'Cancel editing' }).click();
    // An unused one goes.
    await picker.selectOption({ label: 'spare (yes, no)' });
    await editButton.click();
    await dialog.getByRole('button', { name: 'Delete label set' }).click();
    await expect.poll(async () => (await picker.locator('option').allTextContents()).some((t) => t.startsWith('spare'))).toBe(false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });

    // The session carries the edit: the palette has the new step and key, and the hints name the set's keys.
    const palette = page.getByRole('toolbar', { name: 'Label palette' });
    await expect.poll(() => palette.locator('kbd').allTextContents()).toEqual(['1', 'w', '3', '4', 'q', '6']);
    await page.locator('.recording .title h2').click();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    await expect.poll(clock).toBe(0);
    await page.keyboard.press('[');
    await page.keyboard.press('ArrowRight');
    await expect.poll(clock).toBe(1);
    await page.keyboard.press(']');
    const hint = page.getByLabel('Inspector').getByText(/^Press .* to label/);
    await hint.waitFor();
    expect((await hint.textContent())?.replace(/\s+/g, ' ').trim()).toBe('Press 1, w, 3, 4, q, 6 to label the selected stretch.');
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(await sheet.getByRole('row', { name: /Label the selection/ }).locator('kbd').allTextContents()).toEqual(['1', 'w', '3', '4', 'q', '6']);
    await page.keyboard.press('Escape');
    // Nothing went wrong in the page but the two refusals.
    expect(app.pageErrors).toEqual([
      expect.stringMatching(/^409 .*\/api\/call\/labelSets\.update$/),
      'Failed to load resource: the server responded with a status of 409 (Conflict)',
      expect.stringMatching(/^409 .*\/api\/call\/labelSets\.delete$/),
      'Failed to load resource: the server responded with a status of 409 (Conflict)',
    ]);
  });
});
