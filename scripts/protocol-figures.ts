/**
 * Prints the model card's figures (Markdown) from the protocol record that
 * scripts/train-bundled.ts writes: only recorded results are used.
 *
 * Usage: node bin/run-ts.mjs scripts/protocol-figures.ts [--record models/protocol]
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { formatProtocolFigures } from './model-card-figures.ts';
import { readRecordedRuns } from './protocol-record.ts';

const { values: args } = parseArgs({ options: { record: { type: 'string', default: join('models', 'protocol') } } });
console.log(formatProtocolFigures(await readRecordedRuns(args.record as string)));
