/** The app as an end-to-end test drives it: `ser serve` on a fresh database, and Chromium on its page. */
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { collectPageErrors, launchChromium } from './chromium.ts';
import { ensureRendererBuilt } from './renderer-build.ts';
import { startServe, type ServeProcess } from './serve-process.ts';

export interface AppSession {
  server: ServeProcess;
  browser: BrowserContext;
  page: Page;
  /** Page errors, console errors and failed responses seen so far. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Builds the renderer if needed, serves the app with its database in workDir, and opens it. */
export async function openAppSession(
  workDir: string,
  options: { env?: Record<string, string>; chromiumArgs?: readonly string[]; beforeOpen?: (page: Page) => Promise<void> } = {},
): Promise<AppSession> {
  await ensureRendererBuilt();
  const server = await startServe(['--db', join(workDir, 'ser.db')], options.env);
  const browser = await launchChromium(join(workDir, 'profile'), options.chromiumArgs);
  const page = browser.pages()[0] ?? (await browser.newPage());
  const pageErrors: string[] = [];
  collectPageErrors(page, pageErrors);
  await options.beforeOpen?.(page);
  await page.goto(server.url);
  return {
    server,
    browser,
    page,
    pageErrors,
    close: async () => {
      await browser.close();
      await server.stop();
    },
  };
}

/** Adds a folder to the library as a user does: its path in the Library's field, then Add. */
export async function addFolder(page: Page, dir: string): Promise<void> {
  await page.getByLabel('Folder or file path').fill(dir);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
}
