/**
 * electron-builder.yml, checked without building an installer (that needs the internet): it is
 * valid for electron-builder's own schema, every target is configured, and every path it names
 * finds the files a build and the repository really have, where the packaged app looks for them.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import fg from 'fast-glob';
import type { Configuration } from 'electron-builder';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { appRoot, defaultRendererDir, PACKAGED_RESOURCES } from '../../electron/api/services/app/app-paths.ts';
import { MODEL_FILES } from '../../electron/api/services/models/model-registry.ts';
import { BUNDLED_MODEL } from '../../electron/ml/model-location.ts';

// electron-builder's own parser and schema check, from its dependencies (pinned in devDependencies).
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: Configuration, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

const root = appRoot();
const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Configuration;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string };
const scratch = mkdtempSync(join(tmpdir(), 'ser-installer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

type ResourceEntry = { from: string; to: string; filter?: string[] };
const extraResources = config.extraResources as ResourceEntry[];
const resource = (to: string) => extraResources.find((r) => r.to === to);
const files = config.files as string[];

/** Where `npm run build` writes electron/<file>.ts, from tsconfig.build.json's own options. */
function compiledPath(source: string): string {
  const file = join(root, 'tsconfig.build.json');
  const parsed = ts.parseJsonConfigFileContent(ts.readConfigFile(file, ts.sys.readFile).config, ts.sys, root, undefined, file);
  const { outDir, rootDir } = parsed.options;
  return relative(root, join(outDir!, relative(rootDir!, join(root, source)))).replace(/\.ts$/, '.js').replace(/\.cts$/, '.cjs');
}

/** The files a glob list takes from `cwd` (negated patterns exclude, as electron-builder reads them). */
const matched = (cwd: string, patterns: string[]) => fg.sync(patterns, { cwd, dot: true }).sort();

describe('electron-builder.yml', () => {
  it("is valid for electron-builder's schema", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('configures AppImage and deb, nsis and dmg, with an app id, a product name and the audio file associations', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(config.productName).toBe('SER Studio');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toBe('nsis');
    expect(config.mac?.target).toBe('dmg');
    const associations = config.fileAssociations as { ext: string; mimeType: string }[];
    expect(associations.map((a) => a.ext)).toEqual(['wav', 'flac', 'mp3', 'ogg']);
    expect(associations.every((a) => a.mimeType.startsWith('audio/'))).toBe(true);
  });

  it('takes the built app from where the build writes it, and nothing else of the repository', () => {
    // A build-like layout: tsc's output for main and preload, vite's page, a source map to leave out.
    const built = [compiledPath('electron/main.ts'), compiledPath('electron/preload.cts'), relative(root, join(defaultRendererDir(), 'index.html'))];
    expect(built[0]).toBe(pkg.main);
    for (const path of [...built, `${built[0]}.map`, 'package.json', 'electron/main.ts', 'renderer/src/main.ts']) {
      mkdirSync(join(scratch, dirname(path)), { recursive: true });
      writeFileSync(join(scratch, path), '');
    }
    expect(matched(scratch, files)).toEqual([...built, 'package.json'].sort());
    // After a real `npm run build`, the same globs find the real files.
    if (existsSync(join(root, pkg.main))) expect(matched(root, files)).toEqual(expect.arrayContaining([...built, 'package.json']));
  });

  it('ships the bundled model and the wasm binaries as resources where the packaged app looks for them', () => {
    const model = resource(`${PACKAGED_RESOURCES.models}/${BUNDLED_MODEL}`);
    expect(model?.from).toBe(`models/${BUNDLED_MODEL}`);
    expect(matched(join(root, model!.from), model!.filter ?? ['**'])).toEqual([...MODEL_FILES].sort());

    const wasm = resource(PACKAGED_RESOURCES.wasm);
    const binaries = matched(join(root, wasm!.from), wasm!.filter ?? ['**']);
    expect(binaries).toEqual(['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm', 'tfjs-backend-wasm.wasm']);
    expect(extraResources).toHaveLength(2);
  });

  it('unpacks the native modules from the asar archive and rebuilds them for Electron', () => {
    const unpacked = config.asarUnpack as string[];
    const sqlite = unpacked.find((p) => p.includes('better-sqlite3'))!;
    expect(fg.sync(sqlite.replace(/^\*\*\//, ''), { cwd: root })).toEqual(expect.arrayContaining([expect.stringMatching(/better_sqlite3\.node$/)]));
    expect(unpacked.some((p) => p.includes('@tensorflow/tfjs-node'))).toBe(true);
    expect(config.npmRebuild).toBe(true);
  });

  it('has a 512x512 PNG icon for electron-builder to derive every platform size from', () => {
    const icon = readFileSync(join(root, config.icon as string));
    expect(icon.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([512, 512]);
  });
});
