/**
 * Prints the model card's figures (Markdown) from the protocol record that
 * scripts/train-bundled.ts writes: only recorded results are used. A record of a run with --join
 * (models/experiments/multi-corpus) prints its cross-corpus protocols instead.
 *
 * Usage: node bin/run-ts.mjs scripts/protocol-figures.ts [--record models/protocol] [--model models/ser-cnn]
 * (--model: also the calibration paragraph of that model's metadata.json)
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ModelMetadataSchema } from '../electron/ml/metadata.ts';
import { formatCalibrationFigures } from './calibration-figures.ts';
import { formatCrossCorpusFigures, readCrossCorpusRuns } from './cross-corpus-figures.ts';
import { formatProtocolFigures, formatRecipe } from './model-card-figures.ts';
import { readRecordedRuns } from './protocol-record.ts';

const { values: args } = parseArgs({ options: { record: { type: 'string', default: join('models', 'protocol') }, model: { type: 'string' } } });
const record = args.record as string;
const runs = await readRecordedRuns(record);
const cross = await readCrossCorpusRuns(record, runs.recipe);
console.log(cross ? `${formatRecipe(runs.recipe)}\n\n${formatCrossCorpusFigures(cross)}` : formatProtocolFigures(runs));
if (args.model) {
  const metadata = ModelMetadataSchema.parse(JSON.parse(await readFile(join(args.model, 'metadata.json'), 'utf8')));
  console.log(`\n${formatCalibrationFigures(metadata.calibration)}`);
}
