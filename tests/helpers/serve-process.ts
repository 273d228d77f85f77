/** `ser serve` in a child process, as a user starts it: the URL with its token is the first line of stdout. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ServeProcess {
  /** The URL printed on stdout, token included. */
  url: string;
  origin: string;
  token: string;
  /** What it has written to stderr so far. */
  stderr(): string;
  /** Calls an API method over HTTP with the bearer token; rejects with the API's message on failure. */
  call<T>(method: string, input?: unknown): Promise<T>;
  stop(): Promise<void>;
  /** Kills it with SIGKILL, as a crash or a power cut would end it: nothing gets to clean up. */
  crash(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;

/**
 * Recordings may be added from the temporary folder, where tests make theirs. `env` adds to the test's environment, e.g. SER_DATA_DIR and SER_CACHE_DIR to keep models and
 * caches in a temporary folder; `root` is the copy of the project to run (a fresh clone's, say).
 */
export async function startServe(args: string[], env: Record<string, string> = {}, root = projectRoot): Promise<ServeProcess> {
  const child: ChildProcess = spawn(process.execPath, [join(root, 'bin', 'ser.mjs'), 'serve', '--port', '0', '--allow', tmpdir(), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  const lines = createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolveLine, reject) => {
    const timer = setTimeout(() => reject(new Error(`ser serve printed no URL within ${START_TIMEOUT_MS} ms:\n${stderr}`)), START_TIMEOUT_MS);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolveLine(line);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`ser serve exited with ${code} before printing its URL:\n${stderr}`));
    });
  });
  const url = await firstLine.catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token') ?? '';
  return {
    url,
    origin: parsed.origin,
    token,
    stderr: () => stderr,
    async call<T>(method: string, input: unknown = {}): Promise<T> {
      const response = await fetch(`${parsed.origin}/api/call/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      });
      const body = (await response.json()) as { ok: true; result: T } | { ok: false; error: { code: string; message: string } };
      if (!body.ok) throw new Error(`${method}: ${body.error.code}: ${body.error.message}`);
      return body.result;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}
