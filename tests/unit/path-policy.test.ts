/**
 * Serve mode's path policy against hostile requests (they need the token, but the policy must hold
 * anyway): the library grows only with absolute paths inside the allowed folders and never with a
 * system folder; what a data set's labels CSV holds never comes back in an answer; an export writes
 * only new .csv files, or replaces a report the app wrote once the user confirms.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiReply } from '../../electron/api/transport/contract.ts';
import { allowedRoots, LibraryPaths } from '../../electron/api/services/library/paths.ts';
import { SettingsFile } from '../../electron/api/services/app/studio-settings.ts';
import { addClips, apiFixture, writeSine } from '../helpers/api-fixtures.ts';

const f = await apiFixture('ser-path-policy-');
// A folder beside the fixture's: on the same disk, readable, but not allowed.
const elsewhere = mkdtempSync(join(tmpdir(), 'ser-not-allowed-'));
afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));
const failure = (reply: ApiReply<unknown>) => (reply.ok ? null : reply.error);
const add = async (path: string) => failure(await f.dispatch('library.add', { path }));

describe('library.add', () => {
  it('refuses relative paths, however they are spelled', async () => {
    const toEtc = relative(process.cwd(), '/etc/passwd');
    for (const path of [toEtc, '../../etc/passwd', 'clips', './clips']) {
      expect(await add(path)).toEqual({ code: 'invalid_input', message: `${path}: give the folder's absolute path` });
    }
    expect(await f.call('library.folders', {})).toEqual([]);
  });

  it('refuses folders and files outside the allowed folders, and links that lead there', async () => {
    writeSine(join(elsewhere, 'a.wav'), 300, 0.2);
    mkdirSync(join(f.dir, 'links'));
    symlinkSync(elsewhere, join(f.dir, 'links', 'to-elsewhere'));
    symlinkSync('/etc', join(f.dir, 'links', 'to-etc'));
    for (const path of [elsewhere, join(elsewhere, 'a.wav'), join(f.dir, 'links', 'to-elsewhere')]) {
      expect(await add(path)).toMatchObject({ code: 'forbidden_path', message: expect.stringContaining('outside the folders recordings may be added from') });
    }
    expect(await add(join(f.dir, 'links', 'to-etc'))).toMatchObject({ code: 'forbidden_path', message: `${join(f.dir, 'links', 'to-etc')}: /etc is a system folder, not a folder of recordings` });
    expect(await f.call('library.folders', {})).toEqual([]);
  });

  it('adds absolute paths inside them', async () => {
    const folder = await addClips(f, 'clips', [{ frequency: 440, seconds: 0.5 }]);
    expect((await f.call('library.folders', {})).map((e) => e.path)).toEqual([folder]);
  });

  it('never adds a system folder, one inside it or one holding it, even inside an allowed root', () => {
    // allowedRoots refuses "/" as a root; a LibraryPaths built on it shows the system check stands on its own.
    const paths = new LibraryPaths(f.db, ['/'], new SettingsFile(join(f.dir, 'settings.json'), () => {}));
    for (const path of ['/', '/etc', '/etc/passwd', '/proc/self', '/usr/share', '/sys']) {
      expect(() => paths.addable(path), path).toThrow(/system folder|root/);
    }
    expect(paths.addable(f.dir)).toEqual({ path: f.dir, kind: 'folder' });
  });
});

describe('allowed folders (ser serve --allow)', () => {
  it('are real existing folders and no system folder', () => {
    symlinkSync(elsewhere, join(f.dir, 'allow-link'));
    expect(allowedRoots([f.dir, join(f.dir, 'allow-link')])).toEqual([f.dir, elsewhere]);
    expect(() => allowedRoots(['/'])).toThrow("--allow /: / is the file system's root");
    expect(() => allowedRoots(['/usr/lib'])).toThrow('--allow /usr/lib: /usr/lib lies in the system folder /usr');
    for (const dir of ['/etc', '/proc']) expect(() => allowedRoots([dir]), dir).toThrow(`${dir} is a system folder`);
    expect(() => allowedRoots([join(f.dir, 'missing')])).toThrow(/no such folder/);
    writeFileSync(join(f.dir, 'plain.txt'), 'x');
    expect(() => allowedRoots([join(f.dir, 'plain.txt')])).toThrow(/not a folder/);
  });
});

describe('datasets.inspect', () => {
  it("never echoes a labels file's contents: rows naming no file, or text that is no CSV", async () => {
    const folder = join(f.dir, 'clips');
    const secret = 'hunter2-root:x:0:0';
    // Any text file in the library read as a labels CSV: its lines name no file.
    writeFileSync(join(folder, 'notes.txt'), `${secret}\nmy password is ${secret}, really\n`);
    const report = await f.call('datasets.inspect', { source: { kind: 'folder', path: folder, labelsCsv: join(folder, 'notes.txt') } });
    expect(report.rejected.filter((r) => r.reason.includes('notes.txt: '))).toEqual([
      { path: join(folder, 'notes.txt'), reason: 'line 1 of notes.txt: needs a path and a label' },
      { path: join(folder, 'notes.txt'), reason: 'line 2 of notes.txt: names no existing file' },
    ]);
    expect(JSON.stringify(report)).not.toContain('hunter2');
    writeFileSync(join(folder, 'quoted.txt'), `path,label\nab"${secret}"cd,calm\n`);
    const broken = failure(await f.dispatch('datasets.inspect', { source: { kind: 'folder', path: folder, labelsCsv: join(folder, 'quoted.txt') } }));
    expect(broken?.message).toMatch(/not a valid CSV \(INVALID_OPENING_QUOTE at line 2\)/);
    expect(broken?.message).not.toContain('hunter2');
  });
});

describe('export.csv', () => {
  const exportTo = async (path: string, replace?: boolean) => f.dispatch('export.csv', { kind: 'summary', path, ...(replace === undefined ? {} : { replace }) });

  it('never writes over a recording or any file of the user, nor through a link, nor to a name other than .csv', async () => {
    const folder = join(f.dir, 'clips');
    const [recording] = await f.call('recordings.list', {});
    const audio = readFileSync(recording.path);
    const own = join(folder, 'my-notes.csv');
    writeFileSync(own, 'my,own\n');
    symlinkSync(recording.path, join(folder, 'linked.csv'));
    expect(failure(await exportTo(recording.path))).toEqual({ code: 'invalid_input', message: `${recording.path}: this is written to a .csv file; name it clip-000.csv` });
    expect(failure(await exportTo(join(folder, 'report.txt')))).toMatchObject({ code: 'invalid_input' });
    for (const path of [own, join(folder, 'linked.csv')]) {
      expect(failure(await exportTo(path, true))).toEqual({ code: 'forbidden_path', message: `${path} exists and is not a report SER Studio wrote: choose a new file name` });
    }
    expect(readFileSync(recording.path).equals(audio)).toBe(true);
    expect(readFileSync(own, 'utf8')).toBe('my,own\n');
  });

  it('writes a new .csv file, and replaces a report it wrote only when asked to', async () => {
    const report = join(f.dir, 'clips', 'summary.csv');
    expect(await exportTo(report)).toMatchObject({ ok: true, result: { path: report } });
    const written = readFileSync(report, 'utf8');
    expect(written).toMatch(/^\w+(,\w+)+\r?\n/);
    writeFileSync(report, `${written}edited by hand\n`);
    expect(failure(await exportTo(report))).toEqual({ code: 'conflict', message: `${report} exists (a report SER Studio wrote): confirm to replace it` });
    expect(failure(await exportTo(report, false))).toMatchObject({ code: 'conflict' });
    expect(readFileSync(report, 'utf8')).toContain('edited by hand');
    expect(await exportTo(report, true)).toMatchObject({ ok: true, result: { path: report } });
    expect(readFileSync(report, 'utf8')).toBe(written);
  });
});
