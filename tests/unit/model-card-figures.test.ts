import { describe, expect, it } from 'vitest';
import type { TrainingResult } from '../../electron/ml/train.ts';
import { formatProtocolFigures } from '../../scripts/model-card-figures.ts';
import { clips, completedRun as run } from '../helpers/training-results.ts';

describe('the model card figures', () => {
  // Fold 1: 6/10 right (male 4/5, female 2/5); fold 2: 8/10 (male 4/5, female 4/5).
  const fold1 = run(['01', '02'], [...clips('01', 'male', 5, 4), ...clips('02', 'female', 5, 2)]);
  const fold2 = run(['03', '04'], [...clips('03', 'male', 5, 4), ...clips('04', 'female', 5, 4)]);

  it('gives each fold, their mean ± sd and the pooled clips, and names the folds still to run', () => {
    const text = formatProtocolFigures({ recipe: { epochs: '30', folds: '4' }, folds: [fold1, fold2, null, null], random: null });
    expect(text).toContain('Recipe: epochs 30, folds 4.');
    expect(text).toContain('### Speaker-independent (2 of 4 folds run)');
    expect(text).toContain('| 1 | 01, 02 | 10 | **60.0%** |');
    expect(text).toContain('| male 80.0%, female 40.0% | epoch 3 of 5, 5m00s |');
    expect(text).toContain('| 2 | 03, 04 | 10 | **80.0%** |');
    // mean 70%, sample sd of (60, 80) = 14.1; gaps 40 and 0 points: 20 ± 28.3.
    expect(text).toMatch(/\| mean ± sd \| {2}\| 20 \| \*\*70\.0% ± 14\.1\*\* \| [0-9.]+ ± [0-9.]+ \| 20\.0 ± 28\.3 \|/);
    expect(text).toContain('Folds 3, 4 still to run: the mean is over 2 of 4 folds.');
    expect(text).toContain('Pooled over the 20 test clips above');
    expect(text).toContain('accuracy 70.0%');
    expect(text).toContain('male 80.0%, female 60.0% (gap 20.0 points)');
    expect(text).toMatch(/### Random stratified 80\/10\/10.*\n\nStill to run\./);
  });

  it('leaves out a fold that did not complete, and reports the random split', () => {
    const cancelled = { ...fold2, status: 'cancelled' } as TrainingResult;
    const random = run([], [...clips('05', 'male', 4, 3), ...clips('06', 'female', 4, 3)]);
    const text = formatProtocolFigures({ recipe: { folds: '2' }, folds: [fold1, cancelled], random });
    expect(text).toContain('(1 of 2 folds run)');
    expect(text).toContain('Fold 2 still to run');
    expect(text).toContain('8 test clips: accuracy **75.0%**');
    expect(text).toContain('(gap 0.0 points); epoch 3 of 5, 5m00s.');
  });
});
