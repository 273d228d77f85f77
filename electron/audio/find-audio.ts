import fg from 'fast-glob';
import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** File name extensions the decoders read (the content is still checked by its magic bytes). */
export const AUDIO_EXTENSIONS = ['wav', 'wave', 'flac', 'mp3', 'ogg', 'oga', 'opus'] as const;

const hasAudioExtension = (path: string) => AUDIO_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(`.${ext}`));

/** An input or a folder's entry left out, and why: nothing is skipped without a word. */
export interface SkippedPath {
  path: string;
  reason: string;
}

export interface FoundAudio {
  /** Audio files in a stable order: inputs in the order given, each folder's files sorted. */
  files: string[];
  /** Inputs that matched nothing (missing paths, empty globs, folders without audio). */
  unmatched: string[];
  /** Files that were found but cannot be read as audio (FIFOs, devices, broken links, link loops, unreadable folders). */
  skipped: SkippedPath[];
}

/** What a path that is neither a folder nor a regular file is: reading a FIFO would wait for ever, a device for ever more. */
function notRegular(info: Dirent | Stats): string {
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * A folder's audio files, recursively. Links are followed, to files and to folders, but a folder
 * already visited (by its real path) is not entered again, so a link loop ends; names are taken as
 * the file system gives them, newlines and all.
 */
async function walk(dir: string, visited: Set<string>, files: string[], skipped: SkippedPath[]): Promise<void> {
  let entries: Dirent[];
  try {
    const real = await realpath(dir);
    if (visited.has(real)) {
      skipped.push({ path: dir, reason: `a link to a folder already searched (${real})` });
      return;
    }
    visited.add(real);
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    skipped.push({ path: dir, reason: `folder cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})` });
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // A link is what it leads to; a broken one leads nowhere.
    const info = entry.isSymbolicLink() ? await stat(path).catch(() => null) : entry;
    if (info === null) {
      if (hasAudioExtension(entry.name)) skipped.push({ path, reason: 'a broken link' });
    } else if (info.isDirectory()) {
      await walk(path, visited, files, skipped);
    } else if (hasAudioExtension(entry.name)) {
      if (info.isFile()) files.push(path);
      else skipped.push({ path, reason: notRegular(info) });
    }
  }
}

/**
 * Expands the paths a user gives (files, folders searched recursively, glob patterns) into audio
 * files. A file named explicitly is kept whatever its extension, so a mislabelled file is decoded
 * and reported rather than silently skipped; one that is not a regular file is skipped at once,
 * before anything tries to read it.
 */
export async function findAudio(inputs: readonly string[]): Promise<FoundAudio> {
  const files: string[] = [];
  const unmatched: string[] = [];
  const skipped: SkippedPath[] = [];
  const seen = new Set<string>();
  const add = (paths: string[]) => {
    for (const p of paths.map((p) => resolve(p)).sort()) {
      if (!seen.has(p)) {
        seen.add(p);
        files.push(p);
      }
    }
  };
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    const matches: string[] = [];
    const skippedBefore = skipped.length;
    if (info?.isDirectory()) {
      await walk(resolve(input), new Set(), matches, skipped);
    } else if (info?.isFile()) {
      matches.push(input);
    } else if (info) {
      skipped.push({ path: resolve(input), reason: notRegular(info) });
    } else if (fg.isDynamicPattern(input)) {
      matches.push(...(await fg(input, { absolute: true, caseSensitiveMatch: false, onlyFiles: true })).filter(hasAudioExtension));
    }
    if (matches.length === 0 && skipped.length === skippedBefore) unmatched.push(input);
    add(matches);
  }
  return { files, unmatched, skipped };
}
