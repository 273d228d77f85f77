/** Debian's Chromium driven by playwright-core, with the flags that keep it quiet and offline in CI. */
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.SER_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumAvailable = existsSync(CHROMIUM_PATH);

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/** Flags that give the page a microphone playing `wav` (looped), granted without a prompt. */
export function fakeMicrophoneArgs(wav: string): string[] {
  return ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`];
}

/** A browser with a fresh profile in `userDataDir`, sized like a laptop window. */
export function launchChromium(userDataDir: string, extraArgs: readonly string[] = []): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...ARGS, ...extraArgs],
    viewport: { width: 1360, height: 860 },
    deviceScaleFactor: 1,
  });
}

/** Collects what went wrong in the page (uncaught errors, failed requests, console errors) into `errors`, for a final check. */
export function collectPageErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
}
