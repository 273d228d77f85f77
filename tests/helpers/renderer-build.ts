/** Builds the renderer (dist/renderer) as `ser serve` does when any of its sources is newer than the build. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRenderer } from '../../electron/cli/build-renderer.ts';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const rendererDist = join(projectRoot, 'dist', 'renderer');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export async function ensureRendererBuilt(): Promise<void> {
  const built = join(rendererDist, 'index.html');
  // The renderer imports the API contract's types, so a contract change can break it too, and electron/shared's code.
  const sources = Math.max(
    newestMtime(join(projectRoot, 'renderer')),
    newestMtime(join(projectRoot, 'electron', 'api', 'transport', 'contract.ts')),
    newestMtime(join(projectRoot, 'electron', 'shared')),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  if (!(await buildRenderer())) throw new Error('Vite is not installed: run npm ci');
}
