/**
 * The bundled model's card and metadata state what its training record holds: a hand edit of
 * either, or a model installed without its protocol's figures, fails here.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ModelMetadataSchema } from '../../electron/ml/metadata.ts';
import { completedFolds, crossValidationMetrics, summariseFoldOutcomes } from '../../electron/ml/speaker-protocol.ts';
import { randomSplitMetrics } from '../../scripts/install-bundled-model.ts';
import { formatCalibrationFigures } from '../../scripts/calibration-figures.ts';
import { formatProtocolFigures } from '../../scripts/model-card-figures.ts';
import { readRecordedRuns } from '../../scripts/protocol-record.ts';

const runs = await readRecordedRuns('models/protocol');
const metadata = ModelMetadataSchema.parse(JSON.parse(await readFile('models/ser-cnn/metadata.json', 'utf8')));
/** As the metadata file holds it (numbers through JSON). */
const asStored = (x: unknown) => JSON.parse(JSON.stringify(x)) as unknown;

describe('the bundled model and its training record', () => {
  it('the model card prints the record’s figures verbatim', async () => {
    const card = await readFile('models/README.md', 'utf8');
    expect(card).toContain(formatProtocolFigures(runs));
  });

  it('the model card prints the calibration the metadata holds', async () => {
    const card = await readFile('models/README.md', 'utf8');
    expect(metadata.calibration).toBeDefined();
    expect(card).toContain(formatCalibrationFigures(metadata.calibration));
  });

  it('the model’s metadata carries the recorded folds’ cross-validation', () => {
    const folds = completedFolds(runs.folds);
    expect(folds).toHaveLength(Number(runs.recipe.folds));
    const expected = asStored(crossValidationMetrics(summariseFoldOutcomes(folds), folds)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) expect(metadata.metrics?.[key], key).toEqual(value);
  });

  it('the model’s metadata carries the recorded random split’s figures', () => {
    expect(runs.random).not.toBeNull();
    const expected = asStored(randomSplitMetrics(runs.random!)) as Record<string, unknown>;
    for (const [key, value] of Object.entries(expected)) expect(metadata.metrics?.[key], key).toEqual(value);
  });

  it('the model was trained with the recorded recipe', () => {
    const training = metadata.metrics?.training as { epochs: number; patience: number; augment: number; seed: number; window: string };
    const { epochs, patience, augment, seed, window } = runs.recipe;
    expect({ epochs: training.epochs, patience: training.patience, augment: training.augment, seed: training.seed, window: training.window }).toEqual({
      epochs: Number(epochs),
      patience: Number(patience),
      augment: Number(augment),
      seed: Number(seed),
      window,
    });
  });
});
