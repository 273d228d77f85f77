import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Name of the model folder shipped with the app under models/. */
export const BUNDLED_MODEL = 'ser-cnn';

/**
 * The bundled model's folder: $SER_MODEL_DIR when set, else models/ser-cnn found by walking up from
 * this module (the same code runs from electron/ under tsx and from dist/electron/ when compiled).
 */
export function bundledModelDir(): string {
  if (process.env.SER_MODEL_DIR) return process.env.SER_MODEL_DIR;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'models', BUNDLED_MODEL);
    if (existsSync(join(dir, 'package.json')) && existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return join(process.cwd(), 'models', BUNDLED_MODEL);
    dir = parent;
  }
}
