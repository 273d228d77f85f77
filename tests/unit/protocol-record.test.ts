import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCheckpointProgress } from '../../electron/ml/checkpoint.ts';
import { ProtocolRecord } from '../../scripts/protocol-record.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ser-record-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A checkpoint folder as the trainer leaves it, `epochs` epochs in (only its state matters here). */
async function fakeCheckpoint(at: string, epochs: number): Promise<void> {
  await mkdir(join(at, 'last'), { recursive: true });
  const history = Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, loss: 2 - i / 10 }));
  await writeFile(join(at, 'state.json'), JSON.stringify({ fingerprint: 'f', history, bestEpoch: epochs, bestWeightLengths: [2] }));
  await writeFile(join(at, 'best-weights.bin'), Buffer.alloc(8, epochs));
  await writeFile(join(at, 'last', 'weights.bin'), Buffer.alloc(8, epochs));
}

const epochsAt = async (at: string) => (await readCheckpointProgress(at))?.history.length ?? 0;

describe('the protocol record', () => {
  it('takes runs of one recipe only', async () => {
    const record = new ProtocolRecord(join(dir, 'record'));
    expect(await record.claim({ epochs: '30', augment: '1' })).toBeNull();
    expect(await record.claim({ epochs: '30', augment: '1' })).toBeNull();
    expect(await record.claim({ epochs: '40', augment: '1' })).toMatch(/another recipe \(\{"epochs":"30","augment":"1"\}\)/);
  });

  it('keeps completed results only, and puts them back where the work folder lacks them', async () => {
    const record = new ProtocolRecord(join(dir, 'record'));
    const work = join(dir, 'work');
    await mkdir(work);
    await writeFile(join(work, 'result-1.json'), JSON.stringify({ status: 'completed', bestEpoch: 7 }));
    await writeFile(join(work, 'result-2.json'), JSON.stringify({ status: 'cancelled' }));
    await record.keepResult(join(work, 'result-1.json'));
    await record.keepResult(join(work, 'result-2.json'));
    expect(existsSync(join(dir, 'record', 'result-2.json'))).toBe(false);

    const fresh = join(dir, 'fresh', 'folds');
    await record.restoreResult(join(fresh, 'result-1.json'));
    await record.restoreResult(join(fresh, 'result-2.json'));
    expect(JSON.parse(await readFile(join(fresh, 'result-1.json'), 'utf8'))).toEqual({ status: 'completed', bestEpoch: 7 });
    expect(existsSync(join(fresh, 'result-2.json'))).toBe(false);
  });

  it('carries a run in progress over to a fresh work folder, never over a checkpoint further on', async () => {
    const record = new ProtocolRecord(join(dir, 'record'));
    const training = join(dir, 'work', 'fold-1', 'checkpoint');
    expect(await record.keepCheckpoint('fold-1', training)).toBe(0);
    await fakeCheckpoint(training, 5);
    expect(await record.keepCheckpoint('fold-1', training)).toBe(5);

    const fresh = join(dir, 'fresh', 'fold-1', 'checkpoint');
    expect(await record.restoreCheckpoint('fold-1', fresh)).toBe(5);
    expect(await epochsAt(fresh)).toBe(5);
    expect(await readFile(join(fresh, 'last', 'weights.bin'))).toEqual(Buffer.alloc(8, 5));

    // The work folder's own checkpoint, further on, stays.
    await fakeCheckpoint(fresh, 9);
    expect(await record.restoreCheckpoint('fold-1', fresh)).toBe(0);
    expect(await epochsAt(fresh)).toBe(9);

    await record.dropCheckpoint('fold-1');
    expect(await record.restoreCheckpoint('fold-1', join(dir, 'other'))).toBe(0);
  });

  it('records a checkpoint caught mid-swap from its complete new folder', async () => {
    const record = new ProtocolRecord(join(dir, 'record'));
    const training = join(dir, 'work', 'checkpoint');
    await fakeCheckpoint(`${training}.new`, 3);
    expect(await record.keepCheckpoint('random', training)).toBe(3);
  });
});
