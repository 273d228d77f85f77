/**
 * The README's first run: on a fresh clone (no dist/), `npm ci` then `npx ser serve` must open the
 * app itself, not a page asking for a build. The clone holds the files git would check out (the
 * working tree's tracked and unignored files) and shares this project's node_modules, as `npm ci`
 * would have installed them.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from '../helpers/serve-process.ts';
import { tempDir } from '../helpers/store-fixtures.ts';

const projectRoot = resolve(import.meta.dirname, '..', '..');
const { dir, cleanup } = tempDir('ser-fresh-clone-');
let server: ServeProcess | undefined;
afterAll(async () => {
  await server?.stop();
  cleanup();
});

function freshClone(): string {
  const clone = join(dir, 'clone');
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: projectRoot, encoding: 'utf8' }).split('\0');
  for (const file of files) {
    // A tracked file someone has just deleted is not in the clone either.
    if (!file || !existsSync(join(projectRoot, file))) continue;
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    copyFileSync(join(projectRoot, file), join(clone, file));
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(clone, 'node_modules'));
  return clone;
}

describe('a fresh clone', () => {
  it('serves the app itself on the first `ser serve`, building its pages with a progress line', async () => {
    const clone = freshClone();
    expect(existsSync(join(clone, 'dist'))).toBe(false);
    server = await startServe([], { SER_DATA_DIR: join(dir, 'data') }, clone);
    expect(server.stderr()).toMatch(/Building the app's pages into .*dist\/renderer \(first run\)\.\.\.\nBuilt the app's pages in [\d.]+ s/);

    const page = await fetch(`${server.origin}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = /<script type="module" crossorigin src="\.\/(assets\/[^"]+\.js)">/.exec(html);
    expect(script, html).not.toBeNull();
    const bundle = await fetch(`${server.origin}/${script![1]}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('text/javascript');
    expect(existsSync(join(clone, 'dist', 'renderer', 'index.html'))).toBe(true);
  });
});
