/** The built renderer's files, and nothing else, for serve mode. */
import { realpathSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { isInside } from '../services/library/paths.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `root` a URL path names ('/' is index.html), or null when there is none or the
 * path tries to leave root: encoded or plain "..", NUL bytes, backslashes and links that lead
 * outside are all refused.
 */
export function staticFile(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) return null;
  const relative = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^[/\\]+/, '');
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync.native(root);
    real = realpathSync.native(join(realRoot, relative));
  } catch {
    return null;
  }
  if (!isInside(real, realRoot) || real === realRoot || relative.split(sep).some((part) => part.startsWith('.'))) return null;
  return statSync(real).isFile() ? real : null;
}
