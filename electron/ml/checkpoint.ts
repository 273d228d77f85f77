/**
 * A training run's checkpoint, written after every epoch so an interrupted run (cancelled, killed,
 * crashed) can resume: the model at the end of the last epoch, the best epoch's weights, the
 * history and Adam's step count and moments (a checkpoint written before they were kept resumes
 * with a fresh Adam).
 *
 * The checkpoint is written complete into a sibling folder and swapped in by rename, so the folder
 * found is always one whole epoch's state.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FitState } from './fit.ts';
import type { ModelMetadata } from './metadata.ts';
import { loadModel, saveModel } from './model-store.ts';

const STATE = 'state.json';
const BEST_WEIGHTS = 'best-weights.bin';
const OPTIMIZER = 'optimizer.bin';
const LAST_MODEL = 'last';

interface StateFile {
  /** What the run was asked to do; a resume with other settings is refused. */
  fingerprint: string;
  history: FitState['history'];
  bestEpoch: number;
  /** Values per weight in best-weights.bin, in getWeights order. */
  bestWeightLengths: number[];
  /** The optimiser's values in optimizer.bin, in order. */
  optimizer?: { name: string; shape: number[] }[];
}

function concatFloats(arrays: readonly Float32Array[]): Buffer {
  return Buffer.concat(arrays.map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength)));
}

/** The file's floats cut into arrays of the given lengths; throws when the file has another size. */
async function readFloats(file: string, lengths: readonly number[]): Promise<Float32Array[]> {
  const bytes = await readFile(file);
  const total = lengths.reduce((a, b) => a + b, 0);
  if (bytes.length !== total * 4) throw new CheckpointError(`${file} has ${bytes.length} bytes, ${STATE} needs ${total * 4}`);
  const all = new Float32Array(total);
  new Uint8Array(all.buffer).set(bytes);
  let at = 0;
  return lengths.map((n) => all.slice(at, (at += n)));
}

export interface Checkpoint {
  fingerprint: string;
  state: FitState;
  /** The model at the end of the last finished epoch. */
  model: LayersModel;
}

export class CheckpointError extends Error {
  override readonly name = 'CheckpointError';
}

export async function writeCheckpoint(dir: string, model: LayersModel, metadata: ModelMetadata, fingerprint: string, state: FitState): Promise<void> {
  const next = `${dir}.new`;
  await rm(next, { recursive: true, force: true });
  await saveModel(model, join(next, LAST_MODEL), { ...metadata, trained: false, provenance: { ...metadata.provenance, notes: `checkpoint after epoch ${state.history.length}` } });
  await writeFile(join(next, BEST_WEIGHTS), concatFloats(state.bestWeights));
  if (state.optimizer) await writeFile(join(next, OPTIMIZER), concatFloats(state.optimizer.map((v) => v.values)));
  const file: StateFile = {
    fingerprint,
    history: state.history,
    bestEpoch: state.bestEpoch,
    bestWeightLengths: state.bestWeights.map((w) => w.length),
    ...(state.optimizer ? { optimizer: state.optimizer.map(({ name, shape }) => ({ name, shape })) } : {}),
  };
  await writeFile(join(next, STATE), `${JSON.stringify(file)}\n`);
  await rm(dir, { recursive: true, force: true });
  await rename(next, dir);
}

/** The checkpoint in dir, or null when there is none. A swap cut short leaves a complete `.new` folder, which is used. */
export async function readCheckpoint(dir: string): Promise<Checkpoint | null> {
  const found = existsSync(join(dir, STATE)) ? dir : existsSync(join(`${dir}.new`, STATE)) ? `${dir}.new` : undefined;
  if (!found) return null;
  let file: StateFile;
  try {
    file = JSON.parse(await readFile(join(found, STATE), 'utf8')) as StateFile;
  } catch (err) {
    throw new CheckpointError(`${found}: unreadable ${STATE} (${(err as Error).message})`);
  }
  const bestWeights = await readFloats(join(found, BEST_WEIGHTS), file.bestWeightLengths);
  const shapes = file.optimizer;
  const optimizer = shapes
    ? (await readFloats(join(found, OPTIMIZER), shapes.map((v) => v.shape.reduce((a, b) => a * b, 1)))).map((values, i) => ({ ...shapes[i], values }))
    : undefined;
  const { model } = await loadModel(join(found, LAST_MODEL));
  return { fingerprint: file.fingerprint, state: { history: file.history, bestEpoch: file.bestEpoch, bestWeights, ...(optimizer ? { optimizer } : {}) }, model };
}

/** How far the checkpointed run got, without loading its model; null when there is no checkpoint. */
export async function readCheckpointProgress(dir: string): Promise<Pick<FitState, 'history' | 'bestEpoch'> | null> {
  const found = [dir, `${dir}.new`].find((d) => existsSync(join(d, STATE)));
  if (!found) return null;
  const file = JSON.parse(await readFile(join(found, STATE), 'utf8')) as StateFile;
  return { history: file.history, bestEpoch: file.bestEpoch };
}

/** A checkpoint (whole or mid-swap) is in dir. */
export function hasCheckpoint(dir: string): boolean {
  return [dir, `${dir}.new`].some((d) => existsSync(join(d, STATE)));
}

export async function removeCheckpoint(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await rm(`${dir}.new`, { recursive: true, force: true });
}
