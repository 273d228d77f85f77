import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import { afterAll } from 'vitest';
import {
  insertPredictions,
  openStore,
  type ModelSpec,
  type RecordedFile,
  type RecordingFacts,
  type StoreDb,
  type WindowPrediction,
} from '../../electron/store/index.ts';

/** A fresh temporary folder per test file, removed by the returned cleanup. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** New empty stores in one temporary folder: `next()` closes the last one and opens another. All go after the file's tests. */
export function storeSequence(prefix: string): { dir: string; next: () => StoreDb } {
  const { dir, cleanup } = tempDir(prefix);
  let current: StoreDb | undefined;
  let n = 0;
  afterAll(() => {
    current?.close();
    cleanup();
  });
  return {
    dir,
    next: () => {
      current?.close();
      return (current = openStore(join(dir, `db-${++n}.sqlite`)));
    },
  };
}

export const MODEL = { name: 'baseline', version: '1.0', labels: [...EMOTIONS] };

/** A recording known only by its facts: prediction batches need no file on disk. */
export function virtualRecording(name: string): RecordingFacts {
  return { path: `/virtual/${name}`, contentHash: `hash-of-${name}`, sizeBytes: 1000 };
}

/** Probabilities over EMOTIONS: `top` gets `p`, the rest share 1 - p equally. */
export function probabilities(top: string, p: number): Record<string, number> {
  const rest = (1 - p) / (EMOTIONS.length - 1);
  return Object.fromEntries(EMOTIONS.map((e) => [e, e === top ? p : rest]));
}

export function window(start: number, top: string, p: number, length = 3): WindowPrediction {
  return { start, end: start + length, probabilities: probabilities(top, p) };
}

/** Records one file's windows as a batch of its own; returns that file's outcome with the model id. */
export function predictFile(
  db: StoreDb,
  input: { model: ModelSpec; runId: string; recording: RecordingFacts; windows: readonly WindowPrediction[] },
  options: { acceptChanges?: boolean } = {},
): RecordedFile & { modelId: number } {
  const { modelId, files } = insertPredictions(db, { model: input.model, runId: input.runId, files: [{ recording: input.recording, windows: input.windows }] }, options);
  return { ...files[0], modelId };
}
