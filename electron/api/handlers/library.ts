import { basename } from 'node:path';
import { findAudio } from '../../audio/find-audio.ts';
import { addLibraryFolder, importRecordings, listLibraryFolders, removeLibraryFolder, type LibraryFolder as StoredFolder } from '../../store/index.ts';
import type { ApiHandlers, ImportResult, LibraryFolder } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';
import { ApiError } from '../transport/errors.ts';
import type { JobContext } from '../services/jobs/jobs.ts';

const toFolder = (f: StoredFolder): LibraryFolder => ({ id: f.id, path: f.path, addedAt: f.addedAt });

/**
 * Imports the audio under a library entry. Files whose real path leads outside it (links) are
 * refused; each file is committed on its own, so a cancelled import keeps what it finished.
 */
async function importEntry(c: ServiceContext, entry: StoredFolder, job: JobContext): Promise<ImportResult> {
  const { files, skipped } = await findAudio([entry.path]);
  const result: ImportResult = { added: 0, alreadyKnown: 0, failed: skipped.map(({ path, reason }) => ({ path, error: `${path}: skipped: ${reason}` })) };
  const inside: string[] = [];
  for (const file of files) {
    try {
      c.paths.readablePath(file);
      inside.push(file);
    } catch (err) {
      result.failed.push({ path: file, error: (err as Error).message });
    }
  }
  job.progress(0, inside.length, `found ${inside.length} audio file${inside.length === 1 ? '' : 's'}`);
  await importRecordings(c.db, inside, {
    signal: job.signal,
    onProgress: (outcome, done, total) => {
      if (outcome.kind === 'added' || outcome.kind === 'updated') result.added++;
      else if (outcome.kind === 'unreadable') result.failed.push({ path: outcome.path, error: outcome.message });
      else if (outcome.kind === 'changed') {
        result.failed.push({ path: outcome.path, error: `${outcome.path}: changed since it was imported; its annotations and predictions were kept for the old content` });
      } else result.alreadyKnown++;
      job.progress(done, total, basename(outcome.path));
    },
  });
  return result;
}

export function libraryHandlers(c: ServiceContext): Pick<ApiHandlers, 'library.folders' | 'library.add' | 'library.removeFolder'> {
  return {
    'library.folders': () => listLibraryFolders(c.db).map(toFolder),
    'library.add': ({ path }) => {
      const { path: real, kind } = c.paths.addable(path);
      const entry = addLibraryFolder(c.db, real, kind);
      c.events.emit({ type: 'library.changed' });
      return { jobId: c.jobs.start('import', (job) => importEntry(c, entry, job)) };
    },
    'library.removeFolder': ({ id }) => {
      if (!removeLibraryFolder(c.db, id)) throw new ApiError('not_found', `no library folder with id ${id}`);
      c.events.emit({ type: 'library.changed' });
    },
  };
}
