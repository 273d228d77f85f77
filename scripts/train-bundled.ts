/**
 * Trains the bundled model (models/ser-cnn) on the RAVDESS speech clips by the honest protocol:
 *  1. speaker-independent k-fold (actors held out; the headline figure, mean ± sd over folds);
 *  2. the baseline's random stratified 80/10/10 split, done cleanly (files deduplicated by
 *     content, augmented copies of training clips only), for comparison with published figures;
 *  3. the final model on every actor but a few validation actors (early stopping only), with the
 *     folds' figures, then both protocols' figures in its metadata.json, copied to models/ser-cnn.
 * Each is an independent `ser train` run (as a user would type them), run --lanes at a time with
 * the cores shared out (the final model once the folds are done): the single-threaded parts of a
 * training step leave a core idle, so two one-thread runs get ~1.8x the work done of one
 * two-thread run on a 2-core machine. Interrupted, it resumes: completed runs are not repeated
 * and a run in progress continues from its last epoch. Each run logs to WORK/logs/NAME.log, the
 * plan and the figures to WORK/train.log. Each completed run's result is also copied to --record
 * (tracked in git, the model card's evidence; see protocol-record.ts), and what WORK lacks is
 * restored from it.
 *
 * --join DIR (repeatable, e.g. ../shared/data/nemo) adds a further corpus to every fold's training
 * side and to the final model's data, never to a test side; the random split stays RAVDESS's alone,
 * as the published figures it is compared with are. With it come the cross-corpus protocols:
 * leave-one-corpus-out both ways (loco-X: trained without X, tested on all of X over X's classes;
 * trained on the joined corpora alone, they learn only their classes) and each joined corpus's own
 * speaker-independent folds (X-fold-k). Their results are recorded like the others'.
 *
 * Usage: node bin/run-ts.mjs scripts/train-bundled.ts [--data DIR] [--join DIR ...] [--work DIR] [--cache DIR]
 *   [--epochs 30] [--patience 6] [--augment 1] [--seed 42] [--folds 4] [--window first] [--lanes 2]
 *   [--random-crop] [--spec-augment] [--lr-schedule constant|cosine]
 *   [--model-dir models/ser-cnn] [--record models/protocol] [--snapshot | --install RUN]
 * --snapshot records the checkpoints of the runs in progress (while they train) and exits: commit
 * the record before a session ends, and the next one goes on from there. --install RUN (e.g.
 * fold-1) ships a completed run's model as the bundled one until the final model has trained.
 * Long (hours on the embedded WebAssembly backend): run it in the background with nohup.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { completedFolds, crossValidationMetrics, foldModelDir, protocolResultFile, summariseFoldOutcomes, type SpeakerProtocolResult } from '../electron/ml/speaker-protocol.ts';
import { formatMeanSdPercent, formatPercent } from '../electron/cli/evaluation-report.ts';
import { importDataset } from '../electron/ml/datasets/index.ts';
import { checkpointDirOf, type TrainingResult } from '../electron/ml/train.ts';
import { install, randomSplitMetrics } from './install-bundled-model.ts';
import { formatProtocolFigures } from './model-card-figures.ts';
import { ProtocolRecord, RANDOM_RESULT, readCompleted } from './protocol-record.ts';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: process.env.SER_SHARED_DIR ? join(process.env.SER_SHARED_DIR, 'data', 'ravdess') : '../shared/data/ravdess' },
    join: { type: 'string', multiple: true, default: [] },
    work: { type: 'string', default: '.cache/bundled' },
    cache: { type: 'string', default: '.cache/features' },
    // The defaults are the recipe the bundled model and its recorded runs were trained with.
    epochs: { type: 'string', default: '30' },
    patience: { type: 'string', default: '6' },
    augment: { type: 'string', default: '1' },
    seed: { type: 'string', default: '42' },
    folds: { type: 'string', default: '4' },
    window: { type: 'string', default: 'first' },
    // Recipe levers (ser train's flags of the same names); off by default, as the recorded runs were trained.
    'random-crop': { type: 'boolean', default: false },
    'spec-augment': { type: 'boolean', default: false },
    'lr-schedule': { type: 'string', default: 'constant' },
    lanes: { type: 'string', default: '2' },
    'model-dir': { type: 'string', default: join('models', 'ser-cnn') },
    record: { type: 'string', default: join('models', 'protocol') },
    snapshot: { type: 'boolean', default: false },
    install: { type: 'string' },
  },
});
const work = args.work as string;
const lanes = Math.max(1, Number(args.lanes));
const folds = Number(args.folds);
if (!existsSync(args.data as string)) {
  console.error(`${args.data}: not found (the RAVDESS speech clips; see ../shared/data/README.md)`);
  process.exit(2);
}
await mkdir(join(work, 'logs'), { recursive: true });
const log = createWriteStream(join(work, 'train.log'), { flags: 'a' });
const say = (text: string) => {
  const line = `[${new Date().toISOString()}] ${text}\n`;
  process.stderr.write(line);
  log.write(line);
};

const joined = args.join as string[];
for (const dir of joined.filter((d) => !existsSync(d))) {
  console.error(`--join ${dir}: not found`);
  process.exit(2);
}
/** The corpus name the import gives RAVDESS's folder (its convention's), whose actors the folds are made of. */
const FOLD_CORPUS = 'ravdess';
/** The data of the folds and the final model: RAVDESS, plus the joined corpora on the training side only. */
const foldData = joined.length === 0 ? [] : [...joined.flatMap((dir) => ['--data', dir]), '--fold-corpus', FOLD_CORPUS];

const ravdessData = ['--data', args.data as string];
/** The recipe's flags, common to every run. */
const common = [
  ...['--epochs', args.epochs, '--patience', args.patience, '--augment', args.augment],
  ...['--seed', args.seed, '--window', args.window, '--cache', args.cache, '--resume'],
  ...(args['random-crop'] ? ['--random-crop'] : []),
  ...(args['spec-augment'] ? ['--spec-augment'] : []),
  '--lr-schedule', args['lr-schedule'],
] as string[];
const record = new ProtocolRecord(args.record as string);
// A lever joins the recipe only when used, so records of runs from before the levers still match.
const levers = {
  ...(args['random-crop'] ? { randomCrop: 'yes' } : {}),
  ...(args['spec-augment'] ? { specAugment: 'yes' } : {}),
  ...(args['lr-schedule'] !== 'constant' ? { lrSchedule: args['lr-schedule'] } : {}),
  ...(joined.length > 0 ? { joined: joined.map((dir) => basename(resolve(dir))).join(' ') } : {}),
};
const recipe = { epochs: args.epochs, patience: args.patience, augment: args.augment, seed: args.seed, folds: args.folds, window: args.window, ...levers } as Record<string, string>;
const refused = await record.claim(recipe);
if (refused) {
  console.error(refused);
  process.exit(2);
}

/** The cores shared out between the lanes; each run's backend takes its share as threads. */
const threadsPerRun = Math.max(1, Math.floor(os.availableParallelism() / lanes));

/** Runs `ser ARGS` (its backend on `threads` threads) with its output into WORK/logs/NAME.log; rejects when it fails. */
function ser(name: string, argv: string[], threads = threadsPerRun): Promise<void> {
  say(`${name}: ser ${argv.join(' ')}  (log: ${join(work, 'logs', `${name}.log`)})`);
  const runLog = createWriteStream(join(work, 'logs', `${name}.log`), { flags: 'a' });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ser.mjs', ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SER_WASM_THREADS: String(threads) },
    });
    for (const stream of [child.stdout, child.stderr]) stream.pipe(runLog, { end: false });
    child.on('error', reject);
    child.on('close', (code) => {
      runLog.end();
      if (code === 0) {
        say(`${name}: done`);
        resolve();
      } else reject(new Error(`${name}: ser ${argv[0]} exited with code ${code}`));
    });
  });
}


/** A run that writes its result to `json`; skipped when that holds a completed result. */
interface Run {
  name: string;
  json: string;
  /** Its model folder (--out), where it keeps its checkpoint while it trains. */
  out: string;
  argv: string[];
  /** Runs whose results this one reads: it starts once they have completed. */
  after?: Run[];
  /** Whether its result goes to the record (the final model's weights do not, so neither does its result). */
  recorded: boolean;
}

const foldsDir = join(work, 'folds');
const finalDir = join(work, 'final');
const randomJson = join(work, RANDOM_RESULT);
const speakerJson = join(work, 'speaker.json');
// Where the protocol's own fold runs put their results, so the final run finds the folds done.
const foldRuns: Run[] = Array.from({ length: folds }, (_, i) => {
  const [json, out] = [protocolResultFile(foldsDir, i + 1), foldModelDir(foldsDir, i + 1)];
  return { name: `fold-${i + 1}`, json, out, argv: ['train', ...ravdessData, ...common, ...foldData, '--split', 'speaker', '--folds', String(folds), '--fold', String(i + 1), '--out', out, '--json', json], recorded: true };
});
const randomOut = join(work, 'random');
const randomRun: Run = { name: 'random', json: randomJson, out: randomOut, argv: ['train', ...ravdessData, ...common, '--split', 'random', '--out', randomOut, '--json', randomJson], recorded: true };
const finalRun: Run = {
  name: 'final',
  json: speakerJson,
  out: finalDir,
  argv: ['train', ...ravdessData, ...common, ...foldData, '--split', 'speaker', '--folds', String(folds), '--out', finalDir, '--folds-out', foldsDir, '--json', speakerJson],
  after: foldRuns,
  recorded: false,
};

/** Runs the runs not yet completed, `lanes` at a time, in order (a run waits for those it comes `after`). */
async function runPool(runs: Run[]): Promise<void> {
  const queue: Run[] = [];
  for (const run of runs) {
    if (run.recorded) await record.restoreResult(run.json);
    if (await readCompleted(run.json)) continue;
    queue.push(run);
    const epochs = await record.restoreCheckpoint(run.name, checkpointDirOf(run.out));
    if (epochs) say(`${run.name}: goes on from the recorded checkpoint (${epochs} epochs)`);
  }
  say(`${queue.length} of ${runs.length} runs to do (${queue.map((r) => r.name).join(', ') || 'none'}), ${lanes} at a time with ${threadsPerRun} thread(s) each`);
  // A run's dependencies come before it in the queue, so they have started (or were done) when it is taken.
  const running = new Map<Run, Promise<void>>();
  const train = async (run: Run) => {
    await ser(run.name, run.argv);
    if (!(await readCompleted(run.json))) throw new Error(`${run.name} did not complete (see ${run.json})`);
    if (run.recorded) await record.keepResult(run.json);
    await record.dropCheckpoint(run.name);
  };
  const lane = async () => {
    for (let run = queue.shift(); run; run = queue.shift()) {
      const job = Promise.all((run.after ?? []).map((dep) => running.get(dep))).then(() => train(run));
      running.set(run, job);
      await job;
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
}

const started = Date.now();

/** Each joined corpus by the name its import gives it, with its classes. */
const joinedCorpora = await Promise.all(
  joined.map(async (dir) => {
    const { items, labels } = await importDataset({ dir, probe: false });
    return { dir, name: items[0]?.corpus ?? basename(resolve(dir)), labels };
  }),
);
const crossDir = join(work, 'corpora');
const crossRun = (name: string, argv: string[]): Run => {
  const [json, out] = [join(crossDir, `${name}.json`), join(crossDir, name)];
  return { name, json, out, argv: ['train', ...common, ...argv, '--out', out, '--json', json], recorded: true };
};
const allData = [...ravdessData, ...joinedCorpora.flatMap((c) => ['--data', c.dir])];
const crossRuns: Run[] =
  joinedCorpora.length === 0
    ? []
    : [
        ...joinedCorpora.map((c) => crossRun(`loco-${c.name}`, [...allData, '--held-out-corpus', c.name])),
        // RAVDESS left out: the joined corpora teach only the classes they have.
        crossRun(`loco-${FOLD_CORPUS}`, [...allData, '--held-out-corpus', FOLD_CORPUS, '--labels', [...new Set(joinedCorpora.flatMap((c) => c.labels))].join(',')]),
        // Each joined corpus's own folds: its folder alone.
        ...joinedCorpora.flatMap((c) =>
          Array.from({ length: folds }, (_, i) => crossRun(`${c.name}-fold-${i + 1}`, ['--data', c.dir, '--split', 'speaker', '--folds', String(folds), '--fold', String(i + 1)])),
        ),
      ];
// Leave-one-corpus-out first: the cheapest runs, and the figures that say most about voices the model never heard.
const isLoco = (run: Run) => run.name.startsWith('loco-');
const runs = [...crossRuns.filter(isLoco), ...foldRuns, randomRun, finalRun, ...crossRuns.filter((run) => !isLoco(run))];
const modelDir = args['model-dir'] as string;
if (args.snapshot) {
  for (const run of runs) {
    if (await readCompleted(run.json)) continue;
    const epochs = await record.keepCheckpoint(run.name, checkpointDirOf(run.out));
    if (epochs) say(`${run.name}: checkpoint after ${epochs} epochs recorded in ${record.dir}`);
  }
  process.exit(0);
}

if (args.install) {
  // An interim bundled model: one of the protocol's runs, with the cross-validation once every fold has run.
  const run = [...foldRuns, randomRun].find((r) => r.name === args.install);
  if (!run || !(await readCompleted(run.json)) || !existsSync(join(run.out, 'model.json'))) {
    console.error(`--install ${args.install}: no completed run of that name with its model in ${work}`);
    process.exit(2);
  }
  const done = completedFolds(await Promise.all(foldRuns.map((r) => readCompleted<TrainingResult>(r.json))));
  const random = await readCompleted<TrainingResult>(randomJson);
  await install(run.out, modelDir, args.data as string, {
    ...(done.length === folds ? crossValidationMetrics(summariseFoldOutcomes(done), done) : {}),
    ...(random?.test ? randomSplitMetrics(random) : {}),
  });
  process.exit(0);
}

say(
  `${folds} speaker-independent folds, the random 80/10/10 split, then the final model on all actors` +
    (crossRuns.length > 0 ? `; then ${crossRuns.map((r) => r.name).join(', ')}` : ''),
);
await runPool(runs);

const speaker = await readCompleted<SpeakerProtocolResult>(speakerJson);
const random = await readCompleted<TrainingResult>(randomJson);
if (!speaker?.summary || !random?.test) throw new Error(`the protocol did not complete (see ${speakerJson}, ${randomJson})`);
await install(finalDir, modelDir, args.data as string, randomSplitMetrics(random));

const foldResults = await Promise.all(foldRuns.map((r) => readCompleted<TrainingResult>(r.json)));
say(`figures (${((Date.now() - started) / 3600_000).toFixed(2)} h in this invocation)\n${formatProtocolFigures({ recipe, folds: foldResults, random })}`);
for (const { name } of joinedCorpora) {
  const corpusFolds = completedFolds(await Promise.all(crossRuns.filter((r) => r.name.startsWith(`${name}-fold-`)).map((r) => readCompleted<TrainingResult>(r.json))));
  if (corpusFolds.length === folds) say(`${name} speaker-independent (${folds} folds): accuracy ${formatMeanSdPercent(summariseFoldOutcomes(corpusFolds).accuracy)}`);
}
for (const run of crossRuns.filter((r) => r.name.startsWith('loco-'))) {
  const test = (await readCompleted<TrainingResult>(run.json))?.test;
  if (test) say(`${run.name}: accuracy ${formatPercent(test.accuracy)} over ${test.labels.join(', ')} (${test.clips} clips), macro-F1 ${test.macroF1.toFixed(3)}`);
}
log.end();
