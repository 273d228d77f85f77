/**
 * Decode warnings in the app (issue 16 item 13): a WAV whose header declares twice the data the file
 * holds is classified in Chromium; the recording view says what decoding found, and its row in the
 * library carries a warning marker naming it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFolder, openAppSession, type AppSession } from '../helpers/app-session.ts';
import { chromiumAvailable } from '../helpers/chromium.ts';
import { encodeWav, voiced } from '../helpers/wav-writer.ts';

const RATE = 22_050;
const TRUNCATED = 'truncated: 2.0 s of 4.0 s';

describe.skipIf(!chromiumAvailable)('decode warnings in the app', () => {
  let workDir: string;
  let app: AppSession;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'ser-e2e-decode-warnings-'));
    const clipsDir = join(workDir, 'clips');
    mkdirSync(clipsDir);
    const wav = encodeWav({ sampleRate: RATE, format: 'pcm16', channels: [voiced(150, RATE, 4)] });
    // Half the samples under a header that still declares 4 s.
    writeFileSync(join(clipsDir, 'cut-short.wav'), wav.subarray(0, 44 + (wav.length - 44) / 2));
    app = await openAppSession(workDir);
    await addFolder(app.page, clipsDir);
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('shows the truncation under the title once classified, and marks the row in the library', async () => {
    const { page } = app;
    await page.getByRole('button', { name: 'cut-short.wav' }).click();
    const note = page.getByRole('status', { name: 'Decode warnings' });
    expect(await note.count()).toBe(0);
    await page.getByRole('button', { name: 'Classify', exact: true }).click();
    await note.waitFor({ timeout: 90_000 });
    expect(await note.textContent()).toContain(TRUNCATED);
    const marker = page.getByRole('table', { name: 'Recordings' }).getByRole('img', { name: `Decode warnings: ${TRUNCATED}` });
    await marker.waitFor();
    expect(await marker.getAttribute('title')).toBe(`Decode warnings: ${TRUNCATED}`);
    expect(app.pageErrors).toEqual([]);
  }, 120_000);
});
