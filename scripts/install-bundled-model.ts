/**
 * Ships a model folder the protocol trained as the bundled model (models/ser-cnn): named after its
 * new folder, its data described by the path it was trained from as given (not this machine's
 * absolute one), and the protocol's figures added to its metrics.
 */
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { formatPercent } from '../electron/cli/evaluation-report.ts';
import type { Evaluation } from '../electron/ml/evaluate.ts';
import { ModelMetadataSchema } from '../electron/ml/metadata.ts';
import type { TrainingResult } from '../electron/ml/train.ts';


/** What a shipped model's metadata records of the random split's run. */
export function randomSplitMetrics(random: TrainingResult): Record<string, unknown> {
  const test = random.test as Evaluation;
  return {
    random_split_accuracy: `${formatPercent(test.accuracy)} (random stratified 80/10/10, deduplicated, ${test.clips} test clips)`,
    random_split_macro_f1: test.macroF1.toFixed(3),
    randomSplit: { description: random.split.description, bestEpoch: random.bestEpoch, evaluation: test },
  };
}

/** Copies the model in `from` to `modelDir`, each file swapped in whole. */
export async function install(from: string, modelDir: string, data: string, metrics: Record<string, unknown>): Promise<void> {
  const metadata = ModelMetadataSchema.parse(JSON.parse(await readFile(join(from, 'metadata.json'), 'utf8')));
  const clips = (metadata.metrics?.dataset as { clips?: number } | undefined)?.clips;
  const shipped = ModelMetadataSchema.parse({
    ...metadata,
    name: basename(modelDir),
    provenance: { ...metadata.provenance, data: `RAVDESS speech (${data})${clips ? `, ${clips} unique clips` : ''}` },
    metrics: { ...metadata.metrics, ...metrics },
  });
  await mkdir(modelDir, { recursive: true });
  for (const file of ['weights.bin', 'model.json']) await copyFile(join(from, file), join(modelDir, `${file}.tmp`));
  await writeFile(join(modelDir, 'metadata.json.tmp'), `${JSON.stringify(shipped, null, 2)}\n`);
  for (const file of ['weights.bin', 'model.json', 'metadata.json']) await rename(join(modelDir, `${file}.tmp`), join(modelDir, file));
}
