/**
 * Models through the API: the bundled model and user models listed with their figures, imported
 * from a folder or a .zip (checked, nothing left behind when broken), exported, renamed, made
 * active (app.info follows) and deleted (never the bundled one).
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { bundledModelDir } from '../../electron/ml/model-location.ts';
import { readModelMetadata } from '../../electron/ml/model-store.ts';
import { apiFixture } from '../helpers/api-fixtures.ts';
import { writeToyModel } from '../helpers/toy-model.ts';

const f = await apiFixture('ser-api-studio-models-');
const library = join(f.dir, 'library');
const toyDir = await writeToyModel(join(library, 'toy'), 'toy a', ['low', 'high']);
await f.log.end((await f.call('library.add', { path: library })).jobId);
const modelsDir = join(f.dir, 'models');
const bundledName = (await readModelMetadata(bundledModelDir())).name;

const files = (dir: string) => Object.fromEntries(['model.json', 'weights.bin', 'metadata.json'].map((n) => [n, readFileSync(join(dir, n))]));
const modelFolders = () => readdirSync(modelsDir).sort();

async function refusedImport(path: string): Promise<string> {
  const before = modelFolders();
  const reply = await f.dispatch('models.import', { path });
  if (reply.ok) throw new Error(`${path} was imported`);
  expect(reply.error.code).toBe('invalid_input');
  expect(modelFolders()).toEqual(before);
  return reply.error.message;
}

describe('models', () => {
  it('lists the bundled model, active, with its figures as strings', async () => {
    const [bundled, ...others] = await f.call('models.list', {});
    expect(others).toEqual([]);
    expect(bundled).toMatchObject({ id: 'bundled', name: bundledName, bundled: true, active: true });
    expect(Object.values(bundled.metrics).every((v) => typeof v === 'string')).toBe(true);
    expect(bundled.provenance.folder).toBe(bundledModelDir());
  });

  it('imports a model folder and round-trips it through a .zip export', async () => {
    const imported = await f.call('models.import', { path: toyDir });
    expect(imported).toMatchObject({ id: 'toy-a', name: 'toy a', labels: ['low', 'high'], trained: false, bundled: false, active: false });
    expect(files(join(modelsDir, 'toy-a'))).toEqual(files(toyDir));

    const zip = join(library, 'toy-a.zip');
    expect(await f.call('models.export', { id: 'toy-a', path: zip })).toEqual({ path: zip });
    const again = await f.call('models.import', { path: zip });
    expect(again).toMatchObject({ id: 'toy-a-2', name: 'toy a', labels: ['low', 'high'] });
    expect(files(join(modelsDir, 'toy-a-2'))).toEqual(files(toyDir));
    expect((await f.call('models.list', {})).map((m) => m.id)).toEqual(['bundled', 'toy-a', 'toy-a-2']);
    expect(f.log.events.filter((e) => e.type === 'models.changed')).toHaveLength(2);
  });

  it('exports only inside the library', async () => {
    const reply = await f.dispatch('models.export', { id: 'toy-a', path: join(f.dir, 'elsewhere.zip') });
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden_path' } });
  });

  it('refuses broken or incompatible models with the reason, leaving nothing behind', async () => {
    const broken = (name: string, change: (dir: string) => void) => {
      const dir = join(library, name);
      mkdirSync(dir, { recursive: true });
      for (const file of ['model.json', 'weights.bin', 'metadata.json']) copyFileSync(join(toyDir, file), join(dir, file));
      change(dir);
      return dir;
    };
    const noWeights = broken('no-weights', (dir) => rmSync(join(dir, 'weights.bin')));
    expect(await refusedImport(noWeights)).toBe(`cannot import ${noWeights}: weights.bin is missing (not a model folder?)`);

    const truncated = broken('truncated', (dir) => writeFileSync(join(dir, 'weights.bin'), readFileSync(join(dir, 'weights.bin')).subarray(0, 1000)));
    expect(await refusedImport(truncated)).toMatch(/weights\.bin has 1000 bytes, the manifest needs \d+/);

    const wrongShape = broken('wrong-shape', (dir) => {
      const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
      metadata.features.windowSeconds = 1;
      writeFileSync(join(dir, 'metadata.json'), JSON.stringify(metadata));
    });
    expect(await refusedImport(wrongShape)).toMatch(/input shape \[32,32,1\] does not match its feature settings, which make \[32,63,1\]/);

    const badLabels = broken('bad-labels', (dir) => {
      const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
      metadata.labels = ['low', 'high', 'noise'];
      writeFileSync(join(dir, 'metadata.json'), JSON.stringify(metadata));
    });
    expect(await refusedImport(badLabels)).toMatch(/the model has 2 outputs but metadata.json lists 3 labels/);

    const notZip = join(library, 'not-a-model.zip');
    writeFileSync(notZip, 'PK but not a zip');
    expect(await refusedImport(notZip)).toMatch(/not a model folder or a \.zip of one/);

    const halfZip = join(library, 'half.zip');
    writeFileSync(halfZip, zipSync({ toy: { 'metadata.json': readFileSync(join(toyDir, 'metadata.json')) } }));
    expect(await refusedImport(halfZip)).toMatch(/the archive has no model.json beside its metadata.json/);
    expect(modelFolders().filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('renames a user model in its metadata and the bundled one by a display name', async () => {
    expect(await f.call('models.rename', { id: 'toy-a-2', name: 'toy b' })).toMatchObject({ id: 'toy-a-2', name: 'toy b' });
    expect((await readModelMetadata(join(modelsDir, 'toy-a-2'))).name).toBe('toy b');
    expect(await f.call('models.rename', { id: 'bundled', name: 'Shipped' })).toMatchObject({ id: 'bundled', name: 'Shipped', bundled: true });
    expect((await readModelMetadata(bundledModelDir())).name).toBe(bundledName);
    expect((await f.call('app.info', {})).model.name).toBe('Shipped');
  });

  it('makes a user model active (app.info follows) and falls back to the bundled one when it is deleted', async () => {
    expect(await f.call('models.setActive', { id: 'toy-a' })).toMatchObject({ id: 'toy-a', active: true });
    expect((await f.call('app.info', {})).model).toMatchObject({ name: 'toy a', labels: ['low', 'high'], trained: false });
    expect((await f.call('models.list', {})).filter((m) => m.active).map((m) => m.id)).toEqual(['toy-a']);

    await f.call('models.delete', { id: 'toy-a' });
    expect(modelFolders()).toEqual(['toy-a-2']);
    expect((await f.call('app.info', {})).model.name).toBe('Shipped');
    expect((await f.call('models.list', {})).map((m) => [m.id, m.active])).toEqual([
      ['bundled', true],
      ['toy-a-2', false],
    ]);
  });

  it('refuses to delete the bundled model, and names unknown models as not found', async () => {
    expect(await f.dispatch('models.delete', { id: 'bundled' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await f.dispatch('models.delete', { id: '../models' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await f.dispatch('models.setActive', { id: 'toy-a' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
