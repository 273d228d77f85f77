/**
 * The path policy: every path that comes from a user is resolved and followed through symlinks
 * (realpath) before use, and audio is read, and reports written, only inside the library's
 * folders (or exactly a file added on its own). "../" and links that lead outside are refused.
 * The library itself grows only with absolute paths inside the folders the user allowed (serve
 * mode's --allow, the home folder by default) or chosen in a native picker, and never with a
 * system folder, one inside it or one holding it.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, parse, relative, resolve } from 'node:path';
import { listLibraryFolders, type LibraryFolder, type StoreDb } from '../../../store/index.ts';
import { ApiError } from '../../transport/errors.ts';
import type { SettingsFile } from '../app/studio-settings.ts';

/** Whether `path` is `root` or lies under it; both must be resolved real paths. */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function realpathOrError(path: string, what: string): string {
  try {
    return realpathSync.native(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new ApiError('not_found', `${what} ${path} does not exist`);
    if (code === 'EACCES' || code === 'EPERM') throw new ApiError('forbidden_path', `${what} ${path}: permission denied`);
    throw new ApiError('unavailable', `${what} ${path}: ${code ?? (err as Error).message}`);
  }
}

/**
 * The operating system's own folders: no recording of the user's lives there, and reading them
 * (and listing their file names back) is what a hostile page would want.
 */
function systemFolders(): string[] {
  if (process.platform === 'win32') {
    return [process.env.SystemRoot, process.env.ProgramFiles, process.env['ProgramFiles(x86)'], process.env.ProgramData].filter((d): d is string => !!d);
  }
  const posix = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/run', '/sbin', '/sys', '/usr', '/var'];
  return process.platform === 'darwin' ? [...posix, '/System', '/Library', '/private/etc', '/private/var'] : posix;
}

/** Why a real path may not be a library root: it is, lies in or holds a system folder (the file system's root holds them all). */
function systemFolderRefusal(real: string): string | undefined {
  if (real === parse(real).root) return `${real} is the file system's root`;
  const system = systemFolders().find((folder) => isInside(real, folder) || isInside(folder, real));
  if (system === undefined) return undefined;
  if (real === system) return `${real} is a system folder`;
  return isInside(real, system) ? `${real} lies in the system folder ${system}` : `${real} holds the system folder ${system}`;
}

/**
 * The folders a user allows the library to be added from (serve mode's --allow DIR), made real;
 * each must be an existing folder that is not a system folder. Throws with the reason otherwise.
 */
export function allowedRoots(dirs: readonly string[]): string[] {
  return dirs.map((dir) => {
    let real: string;
    try {
      real = realpathSync.native(resolve(dir));
    } catch {
      throw new Error(`--allow ${dir}: no such folder`);
    }
    if (!statSync(real).isDirectory()) throw new Error(`--allow ${dir}: not a folder`);
    const refusal = systemFolderRefusal(real);
    if (refusal) throw new Error(`--allow ${dir}: ${refusal}; allow the folders of your recordings instead`);
    return real;
  });
}

export class LibraryPaths {
  /** Export targets the user picked in a native save dialog (Electron), allowed once each. */
  private readonly granted = new Set<string>();
  /** Folders and files the user chose in a native picker (Electron): they may be added wherever they are. */
  private readonly picked = new Set<string>();

  /**
   * `roots`: real folders (see allowedRoots) under which a typed path may be added to the library;
   * `settings` keeps the reports written, which alone an export may replace.
   */
  constructor(
    private readonly db: StoreDb,
    private readonly roots: readonly string[],
    private readonly settings: SettingsFile,
  ) {}

  folders(): LibraryFolder[] {
    return listLibraryFolders(this.db);
  }

  /** Lets library.add take this folder or file the user chose in a native picker, even outside the allowed folders. */
  grantAdd(path: string): void {
    this.picked.add(realpathOrError(path, 'path'));
  }

  /**
   * A folder or file to add to the library, made real: the path must be absolute (the server's
   * working directory means nothing to its user), exist, and lie in an allowed folder or be what a
   * picker returned, and be no system folder.
   */
  addable(userPath: string): { path: string; kind: LibraryFolder['kind'] } {
    if (!isAbsolute(userPath)) throw new ApiError('invalid_input', `${userPath}: give the folder's absolute path`);
    const path = realpathOrError(userPath, 'path');
    const refusal = systemFolderRefusal(path);
    if (refusal) throw new ApiError('forbidden_path', `${userPath}: ${refusal}, not a folder of recordings`);
    if (!this.picked.has(path) && !this.roots.some((root) => isInside(path, root))) {
      throw new ApiError('forbidden_path', `${userPath} is outside the folders recordings may be added from (${this.roots.join(', ')}); start ser serve with --allow DIR to add another`);
    }
    const stats = statSync(path);
    if (!stats.isDirectory() && !stats.isFile()) throw new ApiError('invalid_input', `${path} is neither a folder nor a file`);
    return { path, kind: stats.isDirectory() ? 'folder' : 'file' };
  }

  /** Whether a real path may be read: inside an added folder, or an added file itself, and never in a system folder. */
  private readable(real: string): boolean {
    return !systemFolderRefusal(real) && this.folders().some((f) => (f.kind === 'folder' ? isInside(real, f.path) : real === f.path));
  }

  /** The real path of a recording's file, refused when it (or the link it is) leads outside the library. */
  readablePath(storedPath: string): string {
    const real = realpathOrError(storedPath, 'file');
    if (!this.readable(real)) throw new ApiError('forbidden_path', `${storedPath} is outside the library's folders; add its folder first`);
    return real;
  }

  /** Whether a stored path lies in the library as it is written (no file system access: for lists). */
  listed(storedPath: string, folders: readonly LibraryFolder[] = this.folders()): boolean {
    return folders.some((f) => (f.kind === 'folder' ? isInside(storedPath, f.path) : storedPath === f.path));
  }

  /** Lets the next export write to this exact path (what a native save dialog returned, which asked before replacing a file). */
  grantWrite(path: string): void {
    this.granted.add(resolve(path));
  }

  /**
   * Where an export may write: a name ending in `extension` (.csv for reports, an annotation
   * format's for annotation files), in a folder that is real and inside an added folder
   * (or exactly a granted path, once). It must be a new file, or a report this app wrote there
   * before and `replace` (the user confirmed) is set; never a recording, nor any other file,
   * whatever its name, nor a link leading elsewhere.
   */
  writablePath(userPath: string, replace = false, extension = '.csv'): string {
    const target = resolve(userPath);
    if (extname(target).toLowerCase() !== extension.toLowerCase()) {
      throw new ApiError('invalid_input', `${userPath}: this is written to a ${extension} file; name it ${basename(target, extname(target))}${extension}`);
    }
    const granted = this.granted.delete(target);
    const folder = realpathOrError(dirname(target), 'folder');
    const real = join(folder, basename(target));
    let existing: string | undefined;
    try {
      existing = realpathSync.native(real);
    } catch {
      existing = undefined; // a new file
    }
    const inLibrary = (p: string) => this.folders().some((f) => f.kind === 'folder' && isInside(p, f.path));
    if (!granted && (!inLibrary(folder) || (existing !== undefined && !inLibrary(existing)))) {
      throw new ApiError('forbidden_path', `${userPath}: exports are written only inside the library's folders`);
    }
    if (existing === undefined) return real;
    // A recording, a labels CSV, any file of the user's: only the app's own reports are ever replaced.
    if (existing !== real || !this.settings.get().exports?.includes(real)) {
      throw new ApiError('forbidden_path', `${userPath} exists and is not a report SER Studio wrote: choose a new file name`);
    }
    if (!replace && !granted) throw new ApiError('conflict', `${userPath} exists (a report SER Studio wrote): confirm to replace it`);
    return real;
  }

  /** Records a report written, so a later export may replace it (after confirmation) and nothing else. */
  async wroteExport(real: string): Promise<void> {
    await this.settings.update((s) => ({ ...s, exports: [...new Set([...(s.exports ?? []), real])] }));
  }
}
