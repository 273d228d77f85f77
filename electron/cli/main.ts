import { Command, CommanderError } from 'commander';
import { registerAgreement } from './commands/agreement.ts';
import { registerAnnotations } from './commands/annotations.ts';
import { registerCalibrate } from './commands/calibrate.ts';
import { registerClassify } from './commands/classify.ts';
import { registerDataset } from './commands/dataset.ts';
import { registerDb } from './commands/db.ts';
import { registerEvaluate } from './commands/evaluate.ts';
import { registerExport } from './commands/export.ts';
import { registerFeatures } from './commands/features.ts';
import { registerInfo } from './commands/info.ts';
import { registerServe } from './commands/serve.ts';
import { registerTrain } from './commands/train.ts';
import { exitWhenFlushed } from './exit.ts';
import { UsageError } from './usage-error.ts';

const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

const program = new Command('ser')
  .description('SER Studio: speech emotion recognition from the command line')
  .exitOverride()
  .showHelpAfterError('(run ser --help for usage)');
program.configureOutput({ outputError: (text, write) => write(text) });
registerClassify(program);
registerFeatures(program);
registerInfo(program);
registerExport(program);
registerAgreement(program);
registerAnnotations(program);
registerDataset(program);
registerTrain(program);
registerEvaluate(program);
registerCalibrate(program);
registerServe(program);
registerDb(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // help and version end with code 0; every other commander error is a usage mistake
    process.exitCode = err.exitCode === 0 ? 0 : EXIT_USAGE;
  } else if (err instanceof UsageError) {
    console.error(`error: ${err.message}`);
    process.exitCode = EXIT_USAGE;
  } else {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.SER_DEBUG && err instanceof Error) console.error(err.stack);
    process.exitCode = EXIT_FAILED;
  }
}
await exitWhenFlushed();
