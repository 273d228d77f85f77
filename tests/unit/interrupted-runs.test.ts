/** Which folders count as interrupted training runs after a restart, and which are cleared away. */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { interruptedRuns, writeRunFile, type RunFile } from '../../electron/api/services/training/interrupted-runs.ts';
import { checkpointDirOf } from '../../electron/ml/train.ts';

const dir = mkdtempSync(join(tmpdir(), 'ser-interrupted-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(data: string): RunFile {
  return {
    name: 'Night run',
    datasetSource: data,
    config: { data: { dir: data }, split: { protocol: 'random', seed: 1 }, seed: 1, epochs: 30, patience: 8, augment: 0, minClipsPerLabel: 20 },
  };
}

async function folder(id: string, data: string, epochs: number | null): Promise<string> {
  const out = join(dir, 'models', id);
  mkdirSync(out, { recursive: true });
  await writeRunFile(out, run(data));
  if (epochs !== null) {
    mkdirSync(checkpointDirOf(out), { recursive: true });
    const history = Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, loss: 1, accuracy: 0.5, valLoss: 1 - i / 10, valAccuracy: 0.4 + i / 10, seconds: 1 }));
    writeFileSync(join(checkpointDirOf(out), 'state.json'), JSON.stringify({ fingerprint: 'x', history, bestEpoch: epochs, bestWeightLengths: [] }));
  }
  return out;
}

describe('interruptedRuns', () => {
  it('lists runs with a checkpoint, says which cannot resume, and clears those that never finished an epoch', async () => {
    const data = join(dir, 'clips');
    mkdirSync(data);
    await folder('resumable', data, 3);
    await folder('orphaned', join(dir, 'gone'), 2);
    const empty = await folder('first-epoch', data, null);
    await folder('running', data, 5);
    mkdirSync(join(dir, 'models', 'a-model'));

    const runs = await interruptedRuns(join(dir, 'models'), (id) => id !== 'running');
    expect(runs.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'orphaned', name: 'Night run', epochsDone: 2, epochs: 30, bestEpoch: 2, bestValAccuracy: 0.5, dataset: join(dir, 'gone'), resumable: false, reason: `its clips are gone (${join(dir, 'gone')})` },
      { id: 'resumable', name: 'Night run', epochsDone: 3, epochs: 30, bestEpoch: 3, bestValAccuracy: expect.closeTo(0.6, 9), dataset: data, resumable: true },
    ]);
    expect(existsSync(empty)).toBe(false);
    expect(existsSync(join(dir, 'models', 'running'))).toBe(true);
  });
});
