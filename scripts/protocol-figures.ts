/**
 * Prints the model card's figures (Markdown) from the protocol record that
 * scripts/train-bundled.ts writes: only recorded results are used.
 *
 * Usage: node bin/run-ts.mjs scripts/protocol-figures.ts [--record models/protocol]
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { TrainingResult } from '../electron/ml/train.ts';
import { formatProtocolFigures } from './model-card-figures.ts';
import { readCompleted } from './protocol-record.ts';

const { values: args } = parseArgs({ options: { record: { type: 'string', default: join('models', 'protocol') } } });
const record = args.record as string;
const recipe = JSON.parse(await readFile(join(record, 'recipe.json'), 'utf8')) as Record<string, string>;

const result = (name: string) => readCompleted<TrainingResult>(join(record, name));

const folds = await Promise.all(Array.from({ length: Number(recipe.folds) }, (_, i) => result(`result-${i + 1}.json`)));
console.log(formatProtocolFigures({ recipe, folds, random: await result('random.json') }));
