/**
 * The bundled model's training record, a folder tracked in git (models/protocol): the recipe, each
 * completed run's result (the model card's evidence), and, between sessions, the checkpoints of
 * runs still in progress. A fresh checkout keeps nothing of the ignored work folder, and the
 * protocol takes longer than one sitting: the record lets it go on where it stopped.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readCheckpointProgress } from '../electron/ml/checkpoint.ts';
import { protocolResultFile } from '../electron/ml/speaker-protocol.ts';
import type { TrainingResult } from '../electron/ml/train.ts';
import type { ProtocolRuns } from './model-card-figures.ts';

/** Epochs a checkpoint holds; 0 when there is none. */
async function epochsIn(dir: string): Promise<number> {
  return (await readCheckpointProgress(dir))?.history.length ?? 0;
}

/** A run's result file (`ser train --json`) if the run completed, else null (not run, unfinished or cancelled). */
export async function readCompleted<T extends { status: string }>(file: string): Promise<T | null> {
  if (!existsSync(file)) return null;
  const result = JSON.parse(await readFile(file, 'utf8')) as T;
  return result.status === 'completed' ? result : null;
}

/** The random split's result file, in the protocol's work folder and in the record. */
export const RANDOM_RESULT = 'random.json';

/** The recipe and the completed runs a record holds (null for a run it lacks). */
export async function readRecordedRuns(dir: string): Promise<ProtocolRuns> {
  const recipe = JSON.parse(await readFile(join(dir, 'recipe.json'), 'utf8')) as Record<string, string>;
  const folds = await Promise.all(Array.from({ length: Number(recipe.folds) }, (_, i) => readCompleted<TrainingResult>(protocolResultFile(dir, i + 1))));
  return { recipe, folds, random: await readCompleted<TrainingResult>(join(dir, RANDOM_RESULT)) };
}

/** Copies `from` to `to`; false when the copy failed or `from`'s state file changed meanwhile. */
async function copyUnchanged(from: string, to: string): Promise<boolean> {
  try {
    const before = await readFile(join(from, 'state.json'), 'utf8');
    await rm(to, { recursive: true, force: true });
    await cp(from, to, { recursive: true });
    return (await readFile(join(from, 'state.json'), 'utf8')) === before;
  } catch {
    return false;
  }
}

export class ProtocolRecord {
  constructor(readonly dir: string) {}

  /**
   * Writes the recipe into an empty record; returns an error message when the record holds runs
   * of another recipe, which must not be pooled with this one's.
   */
  async claim(recipe: Record<string, unknown>): Promise<string | null> {
    const file = join(this.dir, 'recipe.json');
    const wanted = JSON.stringify(recipe);
    if (existsSync(file)) {
      const held = (await readFile(file, 'utf8')).trim();
      return held === wanted ? null : `${this.dir} holds runs of another recipe (${held}): train with that, or give another record`;
    }
    await mkdir(this.dir, { recursive: true });
    await writeFile(file, `${wanted}\n`);
    return null;
  }

  private resultCopy(json: string): string {
    return join(this.dir, basename(json));
  }

  private checkpointCopy(run: string): string {
    return join(this.dir, 'checkpoints', run);
  }

  /** Puts the recorded result of a run back at `json` when that has none. */
  async restoreResult(json: string): Promise<void> {
    const copy = this.resultCopy(json);
    if (existsSync(json) || !(await readCompleted(copy))) return;
    await mkdir(dirname(json), { recursive: true });
    await cp(copy, json);
  }

  /** Records a completed run's result. */
  async keepResult(json: string): Promise<void> {
    if (!(await readCompleted(json))) return;
    await mkdir(this.dir, { recursive: true });
    await cp(json, this.resultCopy(json));
  }

  /** Drops the recorded checkpoint of a run that has completed. */
  async dropCheckpoint(run: string): Promise<void> {
    await rm(this.checkpointCopy(run), { recursive: true, force: true });
  }

  /** Copies the recorded checkpoint of a run to `checkpointDir` when it is further on than the one there; returns its epochs, or 0. */
  async restoreCheckpoint(run: string, checkpointDir: string): Promise<number> {
    const copy = this.checkpointCopy(run);
    const epochs = await epochsIn(copy);
    if (epochs <= (await epochsIn(checkpointDir))) return 0;
    await rm(checkpointDir, { recursive: true, force: true });
    await rm(`${checkpointDir}.new`, { recursive: true, force: true });
    await mkdir(dirname(checkpointDir), { recursive: true });
    await cp(copy, checkpointDir, { recursive: true });
    return epochs;
  }

  /**
   * Records the checkpoint of a run in progress, while it trains; returns its epochs, or 0 when it
   * has none. The trainer never rewrites a checkpoint's files, it swaps in a new folder: a copy
   * during which the state file stayed the same is whole, one that raced a swap is taken again.
   */
  async keepCheckpoint(run: string, checkpointDir: string): Promise<number> {
    const copy = this.checkpointCopy(run);
    const taking = `${copy}.taking`;
    for (let attempt = 1; ; attempt++) {
      const source = [checkpointDir, `${checkpointDir}.new`].find((dir) => existsSync(join(dir, 'state.json')));
      if (!source) return 0;
      if (await copyUnchanged(source, taking)) break;
      if (attempt === 3) throw new Error(`${checkpointDir}: the checkpoint changed during every copy`);
    }
    await rm(copy, { recursive: true, force: true });
    await rename(taking, copy);
    return epochsIn(copy);
  }
}
