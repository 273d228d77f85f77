import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audioFilesIn } from '../../electron/opened-files.ts';

const dir = mkdtempSync(join(tmpdir(), 'ser-opened-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audioFilesIn', () => {
  it('keeps existing audio files (relative ones resolved against cwd) and drops flags, other files, folders and missing paths', () => {
    writeFileSync(join(dir, 'take 1.WAV'), '');
    writeFileSync(join(dir, 'notes.txt'), '');
    mkdirSync(join(dir, 'folder.flac'));
    const argv = ['/opt/SER Studio/ser-studio', '--no-sandbox', 'take 1.WAV', join(dir, 'notes.txt'), join(dir, 'folder.flac'), join(dir, 'gone.mp3'), '--inspect=x.ogg'];
    expect(audioFilesIn(argv, dir)).toEqual([join(dir, 'take 1.WAV')]);
  });
});
