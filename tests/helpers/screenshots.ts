/** Screenshots the e2e tests leave in tmp/e2e-screenshots, some of which the README shows (docs/screenshots). */
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';

export const SCREENSHOT_DIR = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'tmp', 'e2e-screenshots');

/**
 * A view as the README shows it: the notifications that happen to be up are dismissed first, and the library
 * sidebar is folded while the shot is taken when `wide`, so the recording view's plots have the width; `of` shoots
 * one element, `clip` a part of the page.
 */
export async function viewShot(page: Page, name: string, options: { of?: Locator; wide?: boolean; clip?: { x: number; y: number; width: number; height: number } } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.evaluate(() => document.querySelectorAll<HTMLButtonElement>('[aria-label="Notifications"] button[aria-label="Dismiss"]').forEach((b) => b.click()));
  const fold = page.getByRole('button', { name: 'Library sidebar' });
  const folded = options.wide === true && (await fold.getAttribute('aria-expanded')) === 'true';
  if (folded) {
    await fold.click();
    // The plots redraw for their new width after a resize settles; this is a picture, not a check.
    await page.waitForTimeout(600);
  }
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await (options.of ? options.of.screenshot({ path }) : page.screenshot({ path, ...(options.clip ? { clip: options.clip } : {}) }));
  if (folded) await fold.click();
}
