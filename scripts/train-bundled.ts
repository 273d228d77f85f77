/**
 * Trains the bundled model (models/ser-cnn) on the RAVDESS speech clips by the honest protocol,
 * logging everything to WORK/train.log:
 *  1. speaker-independent k-fold (actors held out; the headline figure, mean ± sd over folds),
 *     then the final model on every actor but a few validation actors (early stopping only);
 *  2. the baseline's random stratified 80/10/10 split, done cleanly (files deduplicated by
 *     content, augmented copies of training clips only), for comparison with published figures;
 *  3. the final model copied to models/ser-cnn with both protocols' figures in its metadata.json.
 * Each step runs `ser train` as a user would. Interrupted, it resumes where it stopped: completed
 * runs are not repeated and the run in progress continues from its last epoch.
 *
 * Usage: node bin/run-ts.mjs scripts/train-bundled.ts [--data DIR] [--work DIR] [--cache DIR]
 *   [--epochs 50] [--patience 8] [--augment 3] [--seed 42] [--folds 4] [--window first] [--model-dir models/ser-cnn]
 * Long: on the embedded WebAssembly backend an epoch takes minutes; run it in the background
 * (nohup ... &) and follow WORK/train.log.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SpeakerProtocolResult } from '../electron/ml/speaker-protocol.ts';
import type { TrainingResult } from '../electron/ml/train.ts';
import { addModelMetrics } from '../electron/ml/training-metadata.ts';

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: process.env.SER_SHARED_DIR ? join(process.env.SER_SHARED_DIR, 'data', 'ravdess') : '../shared/data/ravdess' },
    work: { type: 'string', default: '.cache/bundled' },
    cache: { type: 'string', default: '.cache/features' },
    epochs: { type: 'string', default: '50' },
    patience: { type: 'string', default: '8' },
    augment: { type: 'string', default: '3' },
    seed: { type: 'string', default: '42' },
    folds: { type: 'string', default: '4' },
    window: { type: 'string', default: 'first' },
    'model-dir': { type: 'string', default: join('models', 'ser-cnn') },
  },
});
const work = args.work as string;
if (!existsSync(args.data as string)) {
  console.error(`${args.data}: not found (the RAVDESS speech clips; see ../shared/data/README.md)`);
  process.exit(2);
}
await mkdir(work, { recursive: true });
const log = createWriteStream(join(work, 'train.log'), { flags: 'a' });
const say = (text: string) => {
  const line = `[${new Date().toISOString()}] ${text}\n`;
  process.stderr.write(line);
  log.write(line);
};

const common = [
  ...['--data', args.data, '--epochs', args.epochs, '--patience', args.patience, '--augment', args.augment],
  ...['--seed', args.seed, '--window', args.window, '--cache', args.cache, '--resume'],
] as string[];

/** Runs `ser ARGS` with its output into the log (and this terminal); rejects when it fails. */
function ser(argv: string[]): Promise<void> {
  say(`ser ${argv.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ser.mjs', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        process.stderr.write(chunk);
        log.write(chunk);
      });
    }
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ser ${argv[0]} exited with code ${code}`))));
  });
}

/** The JSON results of a completed step, or null when the step has still to run (or to finish). */
async function completed<T extends { status: string }>(file: string): Promise<T | null> {
  if (!existsSync(file)) return null;
  const result = JSON.parse(await readFile(file, 'utf8')) as T;
  return result.status === 'completed' ? result : null;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const started = Date.now();

const speakerJson = join(work, 'speaker.json');
const finalDir = join(work, 'final');
say(`1. speaker-independent ${args.folds}-fold protocol, then the final model on all actors`);
let speaker = await completed<SpeakerProtocolResult>(speakerJson);
if (!speaker) {
  await ser(['train', ...common, '--split', 'speaker', '--folds', args.folds as string, '--out', finalDir, '--folds-out', join(work, 'folds'), '--json', speakerJson]);
  speaker = await completed<SpeakerProtocolResult>(speakerJson);
  if (!speaker) throw new Error(`the speaker protocol did not complete (see ${speakerJson})`);
}

const randomJson = join(work, 'random.json');
say('2. random stratified 80/10/10 split, deduplicated');
let random = await completed<TrainingResult>(randomJson);
if (!random) {
  await ser(['train', ...common, '--split', 'random', '--out', join(work, 'random'), '--json', randomJson]);
  random = await completed<TrainingResult>(randomJson);
  if (!random?.test) throw new Error(`the random-split run did not complete (see ${randomJson})`);
}

say(`3. the final model with both protocols' figures -> ${args['model-dir']}`);
const test = random.test!;
await addModelMetrics(finalDir, {
  random_split_accuracy: `${pct(test.accuracy)} (random stratified 80/10/10, deduplicated, ${test.clips} test clips)`,
  random_split_macro_f1: test.macroF1.toFixed(3),
  randomSplit: { description: random.split.description, bestEpoch: random.bestEpoch, evaluation: test },
});
const modelDir = args['model-dir'] as string;
await mkdir(modelDir, { recursive: true });
const files = ['weights.bin', 'model.json', 'metadata.json'];
for (const file of files) await copyFile(join(finalDir, file), join(modelDir, `${file}.tmp`));
for (const file of files) await rename(join(modelDir, `${file}.tmp`), join(modelDir, file));

const cv = speaker.summary!;
say(
  [
    'figures',
    `  speaker-independent (${cv.accuracy.n} folds): accuracy ${pct(cv.accuracy.mean)} ± ${(100 * cv.accuracy.sd).toFixed(1)}, macro-F1 ${cv.macroF1.mean.toFixed(3)} ± ${cv.macroF1.sd.toFixed(3)}` +
      (cv.genderGap ? `, gender gap ${(100 * cv.genderGap.mean).toFixed(1)} ± ${(100 * cv.genderGap.sd).toFixed(1)} points` : ''),
    `  random 80/10/10: accuracy ${pct(test.accuracy)}, macro-F1 ${test.macroF1.toFixed(3)}, gender gap ${test.genderGap === null ? 'n/a' : `${(100 * test.genderGap).toFixed(1)} points`}`,
    `  total time ${((Date.now() - started) / 3600_000).toFixed(2)} h (this invocation)`,
  ].join('\n'),
);
log.end();
