import fg from 'fast-glob';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';

/** File name extensions the decoders read (the content is still checked by its magic bytes). */
export const AUDIO_EXTENSIONS = ['wav', 'wave', 'flac', 'mp3', 'ogg', 'oga', 'opus'] as const;

const AUDIO_GLOB = `**/*.{${AUDIO_EXTENSIONS.join(',')}}`;

export interface FoundAudio {
  /** Audio files in a stable order: inputs in the order given, each folder's files sorted. */
  files: string[];
  /** Inputs that matched nothing (missing paths, empty globs, folders without audio). */
  unmatched: string[];
}

/**
 * Expands the paths a user gives (files, folders searched recursively, glob patterns) into audio
 * files. A file named explicitly is kept whatever its extension, so a mislabelled file is decoded
 * and reported rather than silently skipped.
 */
export async function findAudio(inputs: readonly string[]): Promise<FoundAudio> {
  const files: string[] = [];
  const unmatched: string[] = [];
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
    let matches: string[];
    if (info?.isDirectory()) {
      matches = await fg(AUDIO_GLOB, { cwd: input, absolute: true, caseSensitiveMatch: false, followSymbolicLinks: false });
    } else if (info) {
      matches = [input];
    } else if (fg.isDynamicPattern(input)) {
      matches = (await fg(input, { absolute: true, caseSensitiveMatch: false, onlyFiles: true })).filter((p) =>
        AUDIO_EXTENSIONS.some((ext) => p.toLowerCase().endsWith(`.${ext}`)),
      );
    } else {
      matches = [];
    }
    if (matches.length === 0) unmatched.push(input);
    add(matches);
  }
  return { files, unmatched };
}
