import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.ts';
import { tempDir } from '../helpers/store-fixtures.ts';

const projectRoot = resolve(import.meta.dirname, '..', '..');
const { dir, cleanup } = tempDir('ser-serve-cli-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  cleanup();
});

/** Starts `ser serve ARGS` as a user would and resolves with its first stdout line. */
async function serve(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; firstLine: string; stderr: () => string }> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin', 'ser.mjs'), 'serve', ...args], {
    cwd: projectRoot,
    env: { ...process.env, SER_DATA_DIR: join(dir, 'data'), ...env },
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout! });
  const [firstLine] = (await once(lines, 'line')) as [string];
  return { child, firstLine, stderr: () => stderr };
}

describe('ser serve', () => {
  it('prints the URL with its token first; the token opens the API; SIGTERM stops it cleanly', async () => {
    const db = join(dir, 'work.sqlite');
    const { child, firstLine, stderr } = await serve(['--port', '0', '--db', db, '--renderer', join(dir, 'no-renderer')]);
    const match = /^http:\/\/127\.0\.0\.1:(\d+)\/\?token=([\w-]{20,})$/.exec(firstLine);
    expect(match, firstLine).not.toBeNull();
    const [, port, token] = match!;
    const base = `http://127.0.0.1:${port}`;

    expect((await fetch(`${base}/api/call/library.folders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(401);
    const opened = await fetch(firstLine, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    const cookie = opened.headers.get('set-cookie')!.split(';')[0];
    const folders = await fetch(`${base}/api/call/library.folders`, { method: 'POST', headers: { 'Content-Type': 'application/json', Cookie: cookie }, body: '{}' });
    expect(await folders.json()).toEqual({ ok: true, result: [] });

    const info = await fetch(`${base}/api/info`, { headers: { Authorization: `Bearer ${token}` } });
    expect(await info.json()).toMatchObject({ app: 'SER Studio', transport: 'serve', database: db, model: { name: 'ser-cnn' }, electron: null });

    // Without a built renderer the API still works, and the page says how to build it.
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('npm run build');
    expect(stderr()).toContain('npm run build');

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stderr()).toContain('SIGTERM: stopping');
  });

  it('adds recordings only from its --allow folders (repeatable; the home folder by default), never a system folder', async () => {
    const [a, b, other] = ['a', 'b', 'other'].map((name) => {
      const folder = join(dir, 'allow', name);
      mkdirSync(folder, { recursive: true });
      return folder;
    });
    const add = async (firstLine: string, path: string) => {
      const answer = await fetch(new URL('/api/call/library.add', firstLine), {
        method: 'POST',
        headers: { Authorization: `Bearer ${new URL(firstLine).searchParams.get('token')}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ path }),
      });
      const body = (await answer.json()) as { ok: boolean; error?: { code: string } };
      return body.ok ? 'added' : body.error!.code;
    };
    const stop = async (child: ChildProcess) => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    };

    const allowing = await serve(['--port', '0', '--db', join(dir, 'allow.sqlite'), '--allow', a, '--allow', b]);
    expect([await add(allowing.firstLine, a), await add(allowing.firstLine, b), await add(allowing.firstLine, other)]).toEqual(['added', 'added', 'forbidden_path']);
    expect(allowing.stderr()).toContain(`Recordings may be added from ${a}, ${b} and their sub-folders`);
    await stop(allowing.child);

    const byDefault = await serve(['--port', '0', '--db', join(dir, 'home.sqlite')], { HOME: a });
    expect([await add(byDefault.firstLine, a), await add(byDefault.firstLine, b)]).toEqual(['added', 'forbidden_path']);
    await stop(byDefault.child);

    const refused = await runCli(['serve', '--allow', '/etc']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--allow /etc: /etc is a system folder');
  });

  it('keeps its database in SER_DATA_DIR by default', async () => {
    const { child, firstLine } = await serve([]);
    const token = new URL(firstLine).searchParams.get('token')!;
    const info = await fetch(new URL('/api/call/app.info', firstLine), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect((await info.json()).result.database).toBe(join(dir, 'data', 'workspace.sqlite'));
    child.kill('SIGINT');
    expect((await once(child, 'exit'))[0]).toBe(0);
  });
});
