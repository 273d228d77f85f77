import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Locates a folder of the shared data beside the project (../shared, or $SER_SHARED_DIR).
 * Returns null when it is absent so the caller can skip with a message naming what is missing.
 */
export function sharedDir(...parts: string[]): string | null {
  const base = process.env.SER_SHARED_DIR ?? join(projectRoot, '..', 'shared');
  const dir = join(base, ...parts);
  return existsSync(dir) ? dir : null;
}

export function skipMessage(what: string, ...parts: string[]): string {
  return `${what}: skipped, ${join('..', 'shared', ...parts)} is absent (set SER_SHARED_DIR to its parent folder)`;
}
