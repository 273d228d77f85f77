/**
 * A model folder packed as a .zip to share it, and unpacked from a .zip (or copied from a folder)
 * to import it. Only the three files of a model are read or written: an archive's other entries,
 * and any path inside it, are never written anywhere.
 */
import { copyFile, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { ModelLoadError } from '../../../ml/model-store.ts';
import { MODEL_FILES, readModelFiles } from './model-registry.ts';

/** A model's archive is a few MB; this only keeps a wrong file (a recording, a disk image) from filling memory. */
const MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024;

const isModelFile = (name: string): name is (typeof MODEL_FILES)[number] => (MODEL_FILES as readonly string[]).includes(name);

/** The folder inside the archive that holds metadata.json: its root, or one folder below it. */
function modelFolderOf(source: string, names: readonly string[]): string {
  const folders = names.filter((n) => basename(n) === 'metadata.json').map((n) => n.slice(0, -'metadata.json'.length));
  if (folders.length === 0) throw new ModelLoadError(source, 'the archive holds no metadata.json (not a model archive?)');
  if (folders.length > 1) throw new ModelLoadError(source, `the archive holds ${folders.length} models (${folders.join(', ')}); import them one at a time`);
  return folders[0];
}

async function unzipModel(source: string, into: string): Promise<void> {
  const { size } = await stat(source);
  if (size > MAX_ARCHIVE_BYTES) throw new ModelLoadError(source, `the archive is ${Math.round(size / 2 ** 20)} MB, larger than any model`);
  let entries: Record<string, Uint8Array>;
  let unpacked = 0;
  try {
    entries = unzipSync(await readFile(source), {
      // At most one folder deep, model files only, and no more than the cap once inflated.
      filter: (file) => {
        const parts = file.name.split('/');
        if (parts.length > 2 || !isModelFile(parts[parts.length - 1])) return false;
        unpacked += file.originalSize;
        if (unpacked > MAX_ARCHIVE_BYTES) throw new ModelLoadError(source, 'the archive inflates to more than any model');
        return true;
      },
    });
  } catch (err) {
    if (err instanceof ModelLoadError) throw err;
    throw new ModelLoadError(source, `not a model folder or a .zip of one (${(err as Error).message})`);
  }
  const folder = modelFolderOf(source, Object.keys(entries));
  for (const name of MODEL_FILES) {
    const bytes = entries[`${folder}${name}`];
    if (!bytes) throw new ModelLoadError(source, `the archive has no ${name} beside its metadata.json`);
    await writeFile(join(into, name), bytes);
  }
}

/** Puts the model files of a folder or a .zip into the empty folder `into`; the caller checks them. */
export async function unpackModel(source: string, into: string): Promise<void> {
  if (!(await stat(source)).isDirectory()) return unzipModel(source, into);
  for (const name of MODEL_FILES) {
    try {
      await copyFile(join(source, name), join(into, name));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new ModelLoadError(source, code === 'ENOENT' ? `${name} is missing (not a model folder?)` : `cannot read ${name}: ${code}`);
    }
  }
}

/** Writes the model folder as `<folderName>/<file>` entries of a .zip, complete or not at all. */
export async function packModel(dir: string, folderName: string, target: string): Promise<void> {
  const files = await readModelFiles(dir);
  // Weights barely compress; the fastest level keeps a large model's export quick.
  const archive = zipSync({ [folderName]: files } satisfies Zippable, { level: 1 });
  await writeFile(`${target}.tmp`, archive);
  await rename(`${target}.tmp`, target);
}
