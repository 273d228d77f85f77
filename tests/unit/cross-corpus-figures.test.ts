import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCrossCorpusFigures, readCrossCorpusRuns } from '../../scripts/cross-corpus-figures.ts';
import { readRecordedRuns } from '../../scripts/protocol-record.ts';
import { clips, completedRun } from '../helpers/training-results.ts';

let dir: string;
const json = (file: string, value: unknown) => writeFile(join(dir, file), `${JSON.stringify(value)}\n`);
/** A run in progress: its recorded checkpoint's state after `epochs` epochs. */
async function checkpoint(run: string, epochs: number): Promise<void> {
  await mkdir(join(dir, 'checkpoints', run), { recursive: true });
  const history = Array.from({ length: epochs }, (_, i) => ({ epoch: i + 1, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.5, seconds: 60 }));
  await json(join('checkpoints', run, 'state.json'), { fingerprint: 'x', history, bestEpoch: epochs });
}

beforeAll(async () => {
  dir = await mkdtemp(join(os.tmpdir(), 'ser-cross-corpus-'));
  await json('recipe.json', { epochs: '30', folds: '2', joined: 'nemo' });
  // loco-nemo: 7 of 10 right (male 5/6, female 2/4); loco-ravdess has trained 4 epochs.
  await json('loco-nemo.json', completedRun(['nemo:n1', 'nemo:n2'], [...clips('n1', 'male', 6, 5), ...clips('n2', 'female', 4, 2)]));
  await checkpoint('loco-ravdess', 4);
  // RAVDESS folds with nEMO joined: 5 of 8 and 7 of 8 right.
  await json('result-1.json', completedRun(['01', '02'], [...clips('01', 'male', 4, 3), ...clips('02', 'female', 4, 2)]));
  await json('result-2.json', completedRun(['03', '04'], [...clips('03', 'male', 4, 4), ...clips('04', 'female', 4, 3)]));
  // nEMO's folds: fold 1 3 of 4 right; fold 2 has trained 2 epochs.
  await json('nemo-fold-1.json', completedRun(['n1', 'n2'], [...clips('n1', 'male', 2, 2), ...clips('n2', 'female', 2, 1)]));
  await checkpoint('nemo-fold-2', 2);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the cross-corpus figures of a record', () => {
  it('is null for a record of RAVDESS alone', async () => {
    expect(await readCrossCorpusRuns(dir, { epochs: '30', folds: '2' })).toBeNull();
  });

  it('prints leave-one-corpus-out with its interval, the folds pooled, and the runs in progress without a figure', async () => {
    const { recipe } = await readRecordedRuns(dir);
    const runs = await readCrossCorpusRuns(dir, recipe);
    const text = formatCrossCorpusFigures(runs!);
    // 7/10: Wilson 95% [39.7, 89.2]; F1 angry 8/11 (4 of 6 called angry right, 4 of 5 found), sad 2/3: macro 0.697.
    expect(text).toContain('| nemo | ravdess | angry, sad | 10 | **70.0% [39.7, 89.2]** | 0.697 | 33.3 | male 83.3%, female 50.0% | epoch 3 of 5, 5m00s |');
    expect(text).toContain('| ravdess | nemo | in progress (4 of 30 epochs) |  |  |  |  |  |  |');
    expect(text).toContain('### ravdess speaker-independent, nemo on the training side (2 of 2 folds run)');
    // 5/8 and 7/8: mean 75.0%, sd 17.7; pooled 12/16, Wilson [50.5, 89.8]; male 7/8, female 5/8.
    expect(text).toMatch(/\| mean ± sd \| {2}\| 16 \| \*\*75\.0% ± 17\.7\*\* \|/);
    expect(text).toContain('Pooled over the 16 test clips of the 2 folds above');
    expect(text).toContain('accuracy **75.0% [50.5, 89.8]**');
    expect(text).toContain('male 87.5%, female 62.5% (gap 25.0 points)');
    expect(text).toContain('### nemo speaker-independent, nemo alone (1 of 2 folds run)');
    expect(text).toContain('Not yet measured: fold 2 in progress (2 of 30 epochs).');
    // One fold of 3/4: Wilson [30.1, 95.4].
    expect(text).toContain('Pooled over the 4 test clips of the 1 fold above');
    expect(text).toContain('accuracy **75.0% [30.1, 95.4]**');
    expect(text).not.toContain('still to run');
  });

  it('names a run with neither result nor checkpoint as still to run', async () => {
    await rm(join(dir, 'checkpoints', 'nemo-fold-2'), { recursive: true });
    const { recipe } = await readRecordedRuns(dir);
    expect(formatCrossCorpusFigures((await readCrossCorpusRuns(dir, recipe))!)).toContain('Not yet measured: fold 2 still to run.');
  });
});
