/**
 * Builds the renderer's pages (dist/renderer) with Vite. A clone has Vite after `npm ci` (a
 * devDependency), so the first `ser serve` can build what `npm run build` would; a packaged app
 * ships its pages built and never gets here.
 */
import { join } from 'node:path';
import { appRoot } from '../api/services/app/app-paths.ts';

/**
 * Writes dist/renderer (renderer/vite.config.ts names it); Vite prints only warnings and errors, on
 * stderr. False when Vite is not installed (`npm ci --omit=dev`): there is nothing to build with.
 */
export async function buildRenderer(): Promise<boolean> {
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return false;
    throw err;
  }
  await vite.build({ configFile: join(appRoot(), 'renderer', 'vite.config.ts'), logLevel: 'warn' });
  return true;
}
