import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hasTfjsNode } from '../helpers/tfjs-node.ts';

/** A fresh copy of the module, so each test makes its own first choice. */
async function freshBackend() {
  vi.resetModules();
  return import('../../electron/ml/backend.ts');
}


afterEach(() => {
  vi.unstubAllEnvs();
});

describe('initBackend', () => {
  it.skipIf(hasTfjsNode)('chooses threaded WebAssembly SIMD when tfjs-node is absent, says why in a short sentence with the error as details, and decides once', async () => {
    const { initBackend } = await freshBackend();
    const info = await initBackend();
    expect(info.name).toBe('wasm');
    expect(info.simd).toBe(true);
    expect(info.threads).toBe(Math.min(availableParallelism(), 8));
    expect(info.reason).toBe(`Native TensorFlow not installed: using WebAssembly (SIMD, ${info.threads} thread${info.threads === 1 ? '' : 's'})`);
    expect(info.details).toMatch(/^@tensorflow\/tfjs-node is not installed \(Cannot find package .+\)$/);
    expect(await initBackend({ prefer: 'cpu' })).toBe(info);
  });

  it('uses the cpu backend only when asked for by name', async () => {
    vi.stubEnv('SER_BACKEND', 'cpu');
    const { initBackend } = await freshBackend();
    const info = await initBackend();
    expect(info.name).toBe('cpu');
    expect(info.reason).toMatch(/SER_BACKEND=cpu/);
  });

  it('does not fall back when SER_BACKEND forces a backend that cannot load', async () => {
    vi.stubEnv('SER_BACKEND', 'node');
    const { initBackend } = await freshBackend();
    await expect(initBackend()).rejects.toThrow(/SER_BACKEND=node but @tensorflow\/tfjs-node failed to load/);
  });

  it('rejects a misspelt SER_BACKEND', async () => {
    vi.stubEnv('SER_BACKEND', 'gpu');
    const { initBackend } = await freshBackend();
    await expect(initBackend()).rejects.toThrow("SER_BACKEND must be node, wasm or cpu, got 'gpu'");
  });
});

describe('a process that initialised the threaded wasm backend', () => {
  // Emscripten keeps pthread workers referenced and installs process handlers that rethrow
  // from inside its minified glue; both are undone by initBackend.
  const run = (body: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'ser-backend-'));
    try {
      const script = join(dir, 'script.mts'); // .mts: an ES module wherever it lies
      const backend = pathToFileURL(resolve('electron/ml/backend.ts')).href;
      writeFileSync(script, `import { initBackend } from '${backend}';\nconsole.log((await initBackend()).reason);\n${body}\n`);
      return spawnSync(process.execPath, ['bin/run-ts.mjs', script], { encoding: 'utf8', timeout: 60_000 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it('exits when its work is done', () => {
    const result = run('');
    expect(result.signal).toBeNull(); // not killed by the timeout
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/threads?/);
  });

  it("reports an uncaught error with the error's own stack, not the wasm glue", () => {
    const result = run("throw new Error('boom');");
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/Error: boom/);
    expect(result.stderr).not.toMatch(/GROWABLE_HEAP/);
  });
});
