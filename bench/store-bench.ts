/**
 * Store and CSV export speed: insert 100,000 window predictions (1,000 files x 100 windows, 100
 * files per transaction), query them filtered, export them all to CSV, and merge that database
 * into an empty one as `ser db merge` merges a shard's.
 * Targets: insert < 1 s, export < 1 s.
 *
 * Standalone: `node bin/run-ts.mjs bench/store-bench.ts [--million]`; --million also exports
 * 100,000 and 1,000,000 rows and reports the peak resident memory during each export.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportPredictions } from '../electron/export/predictions-csv.ts';
import { EMOTIONS } from '../electron/shared/labels.ts';
import {
  ensureModel,
  insertPredictions,
  iteratePredictions,
  mergeStore,
  openStore,
  type PredictionBatch,
  type StoreDb,
} from '../electron/store/index.ts';

const MODEL = { name: 'bench-model', version: '1', labels: [...EMOTIONS] };
const WINDOWS_PER_FILE = 100;
const FILES_PER_BATCH = 100;

/**
 * Softmax-like windows from a fixed-seed generator, so every run inserts the same data: files of
 * WINDOWS_PER_FILE windows, grouped FILES_PER_BATCH to a transaction, made before the timing starts.
 */
function makeBatches(files: number, firstFile = 0): PredictionBatch[] {
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
  const batches: PredictionBatch[] = [];
  for (let f = firstFile; f < firstFile + files; f += FILES_PER_BATCH) {
    const batchFiles = Array.from({ length: Math.min(FILES_PER_BATCH, firstFile + files - f) }, (_, i) => ({
      recording: { path: `/recordings/speaker ${(f + i) % 24}/clip-${f + i}.wav`, contentHash: `bench-${f + i}`, sizeBytes: 0 },
      windows: Array.from({ length: WINDOWS_PER_FILE }, (_, w) => {
        const raw = EMOTIONS.map(() => random() ** 3);
        const sum = raw.reduce((a, b) => a + b, 0);
        return { start: w * 1.5, end: w * 1.5 + 3, probabilities: Object.fromEntries(EMOTIONS.map((e, k) => [e, raw[k] / sum])) };
      }),
    }));
    batches.push({ model: MODEL, runId: 'bench', files: batchFiles });
  }
  return batches;
}

function insertAll(db: StoreDb, batches: readonly PredictionBatch[]): void {
  for (const batch of batches) insertPredictions(db, batch);
}

function ms(since: number): number {
  return Math.round(performance.now() - since);
}

export async function benchStore(): Promise<{ insert_100k_ms: number; query_ms: number; export_100k_ms: number; merge_100k_ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ser-store-bench-'));
  const db = openStore(join(dir, 'bench.sqlite'));
  try {
    const batches = makeBatches(100_000 / WINDOWS_PER_FILE);
    let t = performance.now();
    insertAll(db, batches);
    const insert_100k_ms = ms(t);

    const modelId = ensureModel(db, MODEL).id;
    t = performance.now();
    let matched = 0;
    for (const row of iteratePredictions(db, { modelId, label: 'angry', minConfidence: 0.5 })) matched += row.confidence > 0 ? 1 : 0;
    const query_ms = ms(t);
    if (matched === 0) throw new Error('bench query matched no rows');

    t = performance.now();
    const rows = await exportPredictions(db, join(dir, 'predictions.csv'));
    const export_100k_ms = ms(t);
    if (rows !== 100_000) throw new Error(`exported ${rows} rows, expected 100000`);

    const merged = openStore(join(dir, 'merged.sqlite'));
    try {
      t = performance.now();
      const report = mergeStore(merged, db.name);
      const merge_100k_ms = ms(t);
      if (report.predictionsAdded !== 100_000) throw new Error(`merged ${report.predictionsAdded} predictions, expected 100000`);
      return { insert_100k_ms, query_ms, export_100k_ms, merge_100k_ms };
    } finally {
      merged.close();
    }
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Time and peak resident memory while exporting `rows` rows (inserted first). */
async function exportMemory(rows: number): Promise<{ ms: number; peakRssMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'ser-store-bench-'));
  const db = openStore(join(dir, 'memory.sqlite'));
  try {
    const files = rows / WINDOWS_PER_FILE;
    // in slices, so the data made for the insert never sits in memory all at once
    for (let first = 0; first < files; first += 1_000) insertAll(db, makeBatches(Math.min(1_000, files - first), first));
    let peak = process.memoryUsage().rss;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t = performance.now();
    await exportPredictions(db, join(dir, 'predictions.csv'));
    const elapsed = ms(t);
    clearInterval(sampler);
    return { ms: elapsed, peakRssMb: Math.round(peak / 2 ** 20) };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Constant memory: exporting 1,000,000 rows should peak no higher than exporting 100,000. */
async function benchMillion() {
  const small = await exportMemory(100_000);
  const large = await exportMemory(1_000_000);
  return { export_100k_peak_rss_mb: small.peakRssMb, export_1m_ms: large.ms, export_1m_peak_rss_mb: large.peakRssMb };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = { ...(await benchStore()), ...(process.argv.includes('--million') ? await benchMillion() : {}) };
  console.log(
    `store: insert 100k ${result.insert_100k_ms} ms (target < 1000), filtered query ${result.query_ms} ms, export 100k ${result.export_100k_ms} ms (target < 1000), merge 100k ${result.merge_100k_ms} ms`,
  );
  console.log(JSON.stringify(result));
}
