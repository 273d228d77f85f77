/**
 * What `ser classify` (and a library import) is given: a FIFO or other non-regular file is refused
 * before anything reads it, a folder scan follows links to files (and to folders, ending loops) and
 * takes any legal file name, and whatever is skipped is counted and said with its reason; each
 * file's result or error is printed as soon as it is known.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findAudio } from '../../electron/audio/find-audio.ts';
import { writeSine } from '../helpers/api-fixtures.ts';
import { tempDir } from '../helpers/store-fixtures.ts';

const projectRoot = resolve(import.meta.dirname, '..', '..');
const { dir, cleanup } = tempDir('ser-classify-inputs-');
afterAll(cleanup);

const folder = join(dir, 'scan');
const newline = join(folder, 'take\none');
const elsewhere = join(dir, 'elsewhere');
mkdirSync(newline, { recursive: true });
mkdirSync(join(folder, 'sub'));
mkdirSync(elsewhere);
const plain = writeSine(join(folder, 'plain.wav'), 300, 0.5);
const inNewline = writeSine(join(newline, 'clip\n2.wav'), 320, 0.5);
writeSine(join(elsewhere, 'target.wav'), 340, 0.5);
symlinkSync(join(elsewhere, 'target.wav'), join(folder, 'linked.wav'));
symlinkSync(elsewhere, join(folder, 'sub', 'to-elsewhere'));
symlinkSync(folder, join(folder, 'sub', 'loop'));
symlinkSync(join(dir, 'gone.wav'), join(folder, 'broken.wav'));
const fifo = join(folder, 'pipe.wav');
execFileSync('mkfifo', [fifo]);
writeFileSync(join(folder, 'notes.txt'), 'not audio');

describe('findAudio', () => {
  it('follows links to files and folders, ends loops, takes any name, and says what it skipped and why', async () => {
    const found = await findAudio([folder]);
    expect(found.files).toEqual([inNewline, join(folder, 'linked.wav'), plain, join(folder, 'sub', 'to-elsewhere', 'target.wav')].sort());
    expect(found.skipped.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: join(folder, 'broken.wav'), reason: 'a broken link' },
      { path: fifo, reason: 'a FIFO (named pipe)' },
      { path: join(folder, 'sub', 'loop'), reason: `a link to a folder already searched (${folder})` },
    ]);
    expect(found.unmatched).toEqual([]);
  });

  it('refuses a FIFO named on its own, without opening it', async () => {
    expect(await findAudio([fifo, plain])).toEqual({ files: [plain], unmatched: [], skipped: [{ path: fifo, reason: 'a FIFO (named pipe)' }] });
  });
});

/** `ser classify ARGS` with stdout and stderr in one stream, in the order written; killed after 90 s (a hang fails the test). */
function classifyMerged(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('sh', ['-c', `exec "${process.execPath}" "${join(projectRoot, 'bin', 'ser.mjs')}" classify "$@" 2>&1`, 'sh', ...args], { cwd: projectRoot, timeout: 90_000 });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, output }));
  });
}

describe('ser classify', () => {
  it('refuses a FIFO up front and prints each error and result as it comes, the good ones kept', async () => {
    const corrupt = join(dir, 'a-corrupt.wav');
    writeFileSync(corrupt, 'RIFF not really a wave file');
    const { code, output } = await classifyMerged([fifo, corrupt, plain]);
    expect(code).toBe(1);
    const at = (text: string) => output.indexOf(text);
    expect(at(`error: ${fifo}: skipped: a FIFO (named pipe)`), output).toBeGreaterThanOrEqual(0);
    expect(at(`error: ${corrupt}`), output).toBeGreaterThan(at('skipped: a FIFO'));
    // The corrupt file's error is out before the next file's result, not saved up for the end.
    expect(at(`${plain}\n  Predicted emotion:`), output).toBeGreaterThan(at(`error: ${corrupt}`));
    expect(output).toContain('1 of 3 inputs classified, 2 failed');
  });
});
