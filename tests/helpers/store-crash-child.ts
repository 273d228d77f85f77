/**
 * A child process for the crash tests: it writes to a store and, inside the transaction of the
 * write named on its command line, announces "inside" on stdout and blocks until the parent
 * kills it. A temporary trigger (local to this connection, never saved in the file) provides
 * the hook, so the store code runs unmodified.
 *
 *   predictions DB BATCH_WINDOWS CRASH_BATCH   records batches of windows, one file per batch
 *   import DB FOLDER CRASH_FILE                imports the folder's files
 */
import { EMOTIONS } from '../../electron/shared/labels.ts';
import { importRecordings, insertPredictions, openStore, type StoreDb } from '../../electron/store/index.ts';

const [mode, dbPath, arg, crashAt] = process.argv.slice(2);
const db = openStore(dbPath);

/** Calls block() inside the transaction that inserts the nth row of `table` (counted by this process). */
function crashOnRow(store: StoreDb, table: string, nth: number): void {
  let rows = 0;
  store.function('crash_hook', () => {
    if (++rows === nth) {
      process.stdout.write('inside\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
    }
    return 0;
  });
  store.exec(`CREATE TEMP TRIGGER crash_after_insert AFTER INSERT ON main.${table} BEGIN SELECT crash_hook(); END`);
}

const CRASH_MODEL = { name: 'crash-model', version: '1', labels: [...EMOTIONS] };

if (mode === 'predictions') {
  const windows = Number(arg);
  const crashBatch = Number(crashAt);
  // Halfway through the crash batch: earlier rows of it are written, the rest are not.
  crashOnRow(db, 'predictions', (crashBatch - 1) * windows + Math.floor(windows / 2));
  for (let batch = 1; ; batch++) {
    insertPredictions(db, {
      model: CRASH_MODEL,
      runId: `run-${batch}`,
      files: [
        {
          recording: { path: `/virtual/batch-${batch}.wav`, contentHash: `hash-${batch}`, sizeBytes: 1 },
          windows: Array.from({ length: windows }, (_, i) => ({
            start: i,
            end: i + 3,
            probabilities: Object.fromEntries(EMOTIONS.map((e, k) => [e, k === batch % EMOTIONS.length ? 0.65 : 0.05])),
          })),
        },
      ],
    });
    process.stdout.write(`committed ${batch}\n`);
  }
} else if (mode === 'import') {
  crashOnRow(db, 'recordings', Number(crashAt));
  await importRecordings(db, [arg]);
  process.stdout.write('finished\n');
} else {
  throw new Error(`unknown mode ${mode}`);
}
