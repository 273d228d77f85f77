/** Where the app finds its own files (package.json, the built renderer) and keeps the user's workspace database. */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding the app's package.json, found by walking up from this module: the same code
 * runs from electron/ under tsx and from dist/electron/ when compiled.
 */
export function appRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
  }
}

export function appVersion(): string {
  return (JSON.parse(readFileSync(join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}

/** The built renderer (npm run build writes it). */
export function defaultRendererDir(): string {
  return join(appRoot(), 'dist', 'renderer');
}

/**
 * The per-user folder for the workspace database when the caller names none: $SER_DATA_DIR, else
 * the platform's per-user data folder (the Electron app passes its own userData path instead).
 */
export function defaultDataDir(): string {
  if (process.env.SER_DATA_DIR) return process.env.SER_DATA_DIR;
  const home = homedir();
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'ser-studio');
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'ser-studio');
  return join(process.env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'ser-studio');
}

export const DATABASE_FILE = 'workspace.sqlite';

/**
 * Where a packaged app finds what electron-builder.yml's extraResources put beside it, under
 * process.resourcesPath: the bundled model (its folder name is BUNDLED_MODEL) and tfjs-backend-wasm's binaries.
 */
export const PACKAGED_RESOURCES = { models: 'models', wasm: 'wasm' } as const;
