/**
 * Audio files the operating system asks the app to open (its file associations): on Windows and
 * Linux they arrive as command-line arguments, of the first launch or of a second one that hands
 * them to the running app; on macOS as 'open-file' events.
 */
import { statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { AUDIO_EXTENSIONS } from './audio/find-audio.ts';

const extensions = new Set<string>(AUDIO_EXTENSIONS.map((ext) => `.${ext}`));

/** The arguments that name existing audio files, as absolute paths; flags and everything else are ignored. */
export function audioFilesIn(argv: readonly string[], cwd: string): string[] {
  return argv
    .filter((arg) => !arg.startsWith('-') && extensions.has(extname(arg).toLowerCase()))
    .map((arg) => resolve(cwd, arg))
    .filter((path) => {
      try {
        return statSync(path).isFile();
      } catch {
        return false;
      }
    });
}
