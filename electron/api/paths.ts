/**
 * The path policy: every path that comes from a user is resolved and followed through symlinks
 * (realpath) before use, and audio is read, and reports written, only inside the library's
 * folders (or exactly a file added on its own). "../" and links that lead outside are refused.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { listLibraryFolders, type LibraryFolder, type StoreDb } from '../store/index.ts';
import { ApiError } from './errors.ts';

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

export class LibraryPaths {
  /** Export targets the user picked in a native save dialog (Electron), allowed once each. */
  private readonly granted = new Set<string>();

  constructor(private readonly db: StoreDb) {}

  folders(): LibraryFolder[] {
    return listLibraryFolders(this.db);
  }

  /** A path the user typed or picked, made absolute and real; it must exist. */
  existing(userPath: string): { path: string; kind: LibraryFolder['kind'] } {
    const path = realpathOrError(resolve(userPath), 'path');
    const stats = statSync(path);
    if (!stats.isDirectory() && !stats.isFile()) throw new ApiError('invalid_input', `${path} is neither a folder nor a file`);
    return { path, kind: stats.isDirectory() ? 'folder' : 'file' };
  }

  /** Whether a real path may be read: inside an added folder, or an added file itself. */
  private readable(real: string): boolean {
    return this.folders().some((f) => (f.kind === 'folder' ? isInside(real, f.path) : real === f.path));
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

  /** Lets the next export write to this exact path (what a native save dialog returned). */
  grantWrite(path: string): void {
    this.granted.add(resolve(path));
  }

  /**
   * Where an export may write: the target's folder must be real and inside an added folder, and a
   * target that already exists must not be a link leading elsewhere. A granted path passes once.
   */
  writablePath(userPath: string): string {
    const target = resolve(userPath);
    if (this.granted.delete(target)) return target;
    const folder = realpathOrError(dirname(target), 'folder');
    const real = join(folder, basename(target));
    let existing: string | undefined;
    try {
      existing = realpathSync.native(real);
    } catch {
      existing = undefined; // a new file
    }
    const inLibrary = (p: string) => this.folders().some((f) => f.kind === 'folder' && isInside(p, f.path));
    if (!inLibrary(folder) || (existing !== undefined && !inLibrary(existing))) {
      throw new ApiError('forbidden_path', `${userPath}: exports are written only inside the library's folders`);
    }
    return real;
  }
}
