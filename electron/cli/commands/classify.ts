import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { findAudio } from '../../audio/find-audio.ts';
import { ClassificationCsv } from '../../export/classification-csv.ts';
import { initBackend } from '../../ml/backend.ts';
import { NO_SPEECH } from '../../shared/outcomes.ts';
import { UNCERTAIN } from '../../ml/calibration.ts';
import { Classifier, MIN_SPEECH_SECONDS, TOO_SHORT, type FileFailure, type FileResult, type Probabilities } from '../../ml/classify.ts';
import { loadModel } from '../../ml/model-store.ts';
import { bundledModelDir } from '../../ml/model-location.ts';
import { openStore, recordPredictions } from '../../store/index.ts';
import { modelWarning } from '../describe-model.ts';
import { ProgressBar } from '../progress.ts';
import { parseShard, shardOf, type Shard } from '../shard.ts';
import { UsageError, positiveNumber, probability } from '../usage-error.ts';

interface ClassifyFlags {
  model?: string;
  verbose?: boolean;
  json?: boolean;
  csv?: string;
  db?: string;
  window?: number;
  hop?: number;
  minConfidence?: number;
  shard?: Shard;
}

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;

function ranked(p: Probabilities): [string, number][] {
  return Object.entries(p).sort((a, b) => b[1] - a[1]);
}

function printHuman(result: FileResult, verbose: boolean, minConfidence: number | null): void {
  console.log(`${result.file}`);
  const seconds = result.windows[result.windows.length - 1].end;
  const predicted =
    result.outcome === TOO_SHORT
      ? `${TOO_SHORT.toUpperCase()} (${seconds.toFixed(2)} s of audio; at least ${MIN_SPEECH_SECONDS} s is needed)`
      : result.outcome === NO_SPEECH
      ? `${NO_SPEECH.toUpperCase()} (no window holds speech)`
      : result.outcome === UNCERTAIN
        ? `${UNCERTAIN.toUpperCase()} (${result.label} ${percent(result.confidence)} confidence, below the ${percent(minConfidence ?? 0)} threshold)`
        : `${result.label.toUpperCase()} (${percent(result.confidence)} confidence)`;
  console.log(`  Predicted emotion: ${predicted}`);
  for (const warning of result.warnings) console.log(`  Warning: ${warning}`);
  if (verbose) {
    for (const [label, p] of ranked(result.probabilities)) console.log(`    ${label.padEnd(10)} ${percent(p).padStart(6)} ${'#'.repeat(Math.round(p * 40))}`);
  }
  if (result.windows.length > 1) {
    for (const w of result.windows) {
      const [[label, p], ...rest] = ranked(w.probabilities);
      const others = verbose ? `  (${rest.map(([l, q]) => `${l} ${percent(q)}`).join(', ')})` : '';
      const shown = w.outcome === label ? `${label.toUpperCase()} ${percent(p)}` : `${w.outcome.toUpperCase()} (${label} ${percent(p)})`;
      console.log(`    ${w.start.toFixed(2).padStart(8)}-${w.end.toFixed(2).padEnd(8)} s  ${shown}${others}`);
    }
  }
}

export function registerClassify(program: Command): void {
  program
    .command('classify')
    .description('predict the emotion of audio files, folders (recursive) or glob patterns')
    .argument('<paths...>', 'files, folders or globs')
    .option('--model <dir>', 'model folder (default: the bundled model)')
    .option('--verbose', 'print every class probability')
    .option('--json', 'print JSON Lines, one object per file')
    .option('--csv <file>', 'also write file and window rows to a CSV file')
    .option('--db <file>', 'also record the predictions in this workspace database')
    .option('--window <seconds>', "window length; must match the model's (3 s)", positiveNumber('--window'))
    .option('--hop <seconds>', 'seconds between windows (default: half a window)', positiveNumber('--hop'))
    .option(
      '--min-confidence <p>',
      "answer \"uncertain\" when the top probability is below p (default: the threshold calibrated on the model's validation speakers; none for a model without one; 0 turns it off)",
      probability('--min-confidence'),
    )
    .option('--shard <i/n>', 'classify only part i (from 0) of n of the sorted input files, one part per machine (docs/scale-out.md)', parseShard)
    .action(async (paths: string[], flags: ClassifyFlags) => {
      const dir = flags.model ?? bundledModelDir();
      await initBackend();
      const { model, metadata } = await loadModel(dir);
      const windowSeconds = metadata.features.windowSeconds;
      if (flags.window !== undefined && Math.abs(flags.window - windowSeconds) > 1e-9) {
        throw new UsageError(`--window ${flags.window}: model "${metadata.name}" takes ${windowSeconds} s windows`);
      }
      const warning = modelWarning(metadata);
      if (warning) console.error(warning);

      const { files: found, unmatched, skipped } = await findAudio(paths);
      const files = flags.shard ? shardOf(found, flags.shard) : found;
      for (const input of unmatched) console.error(`error: ${input}: no such file, folder or audio matching the pattern`);
      // Refused before anything is read: a FIFO would block the run for ever.
      for (const { path, reason } of skipped) console.error(`error: ${path}: skipped: ${reason}`);
      const csv = flags.csv ? await ClassificationCsv.create(flags.csv, metadata.labels, metadata.name) : null;
      const failures: FileFailure[] = [];
      const db = flags.db ? openStore(flags.db) : null;
      const runId = randomUUID();
      const modelSpec = { name: metadata.name, version: metadata.provenance.createdAt, labels: metadata.labels, directory: resolve(dir) };
      // One transaction per file, written in order; a file that cannot be stored counts as failed.
      let stored = Promise.resolve();
      const store = (result: FileResult) => {
        if (!db) return;
        stored = stored.then(() =>
          recordPredictions(db, { model: modelSpec, runId, file: result.file, windows: result.windows, warnings: result.warnings }).then(
            () => undefined,
            (err: Error) => {
              const failure = { file: result.file, error: `${result.file}: not stored: ${err.message}` };
              failures.push(failure);
              console.error(`error: ${failure.error}`);
            },
          ),
        );
      };
      const progress = new ProgressBar(files.length);
      const classifier = new Classifier(model, metadata, { minConfidence: flags.minConfidence });
      progress.update(0);
      await classifier.classifyFiles(
        files,
        (result, index) => {
          progress.clear();
          csv?.add(result);
          if ('error' in result) {
            failures.push(result);
            // Said at once, as results are: nothing known is lost if a later file takes the run down.
            console.error(`error: ${result.error}`);
            if (flags.json) console.log(JSON.stringify(result));
          } else {
            store(result);
            if (flags.json) console.log(JSON.stringify({ ...result, model: metadata.name, model_trained: metadata.trained, min_confidence: classifier.minConfidence }));
            else printHuman(result, Boolean(flags.verbose), classifier.minConfidence);
          }
          progress.update(index + 1, basename(result.file));
        },
        { hopSeconds: flags.hop },
      );
      progress.clear();
      await csv?.close();
      await stored;
      db?.close();
      const failed = failures.length + unmatched.length + skipped.length;
      if (failed > 0) {
        console.error(`${files.length - failures.length} of ${files.length + unmatched.length + skipped.length} inputs classified, ${failed} failed`);
        process.exitCode = 1;
      }
    });
}
