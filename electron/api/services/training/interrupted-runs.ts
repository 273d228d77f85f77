/**
 * Training runs the app stopped in the middle of (it crashed, was killed, the machine lost power). A
 * run writes RUN_FILE into its model folder when it starts and removes it when it ends, so a folder
 * still holding it after a restart is an interrupted run: with a checkpoint (one per finished epoch)
 * it can resume where it stopped; without one (it died during its first epoch) there is nothing to
 * keep and the folder goes.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { sourceList } from '../../../ml/datasets/index.ts';
import { SplitSpecSchema } from '../../../ml/training-metadata.ts';
import { checkpointDirOf, type TrainingConfig } from '../../../ml/train.ts';
import { readCheckpointProgress } from '../../../ml/checkpoint.ts';
import type { InterruptedRun } from '../../transport/contract.ts';

export const RUN_FILE = 'training-run.json';

const DataSourceSchema = z.object({ dir: z.string().optional(), csv: z.string().optional(), convention: z.string().optional(), corpus: z.string().optional() });

/** What resuming needs: the engine's settings (without the per-launch folders) and what the finished run reports. */
const RunFileSchema = z.object({
  name: z.string(),
  /** Where the clips come from, as the data set's report named it. */
  datasetSource: z.string(),
  config: z.object({
    data: z.union([DataSourceSchema, z.array(DataSourceSchema)]),
    labels: z.array(z.string()).optional(),
    outputLabels: z.array(z.string()).optional(),
    split: SplitSpecSchema,
    name: z.string().optional(),
    seed: z.number(),
    epochs: z.number(),
    patience: z.number(),
    augment: z.number(),
    base: z.string().optional(),
    freezeBase: z.boolean().optional(),
    minClipsPerLabel: z.number(),
  }),
});

export type RunFile = Omit<z.infer<typeof RunFileSchema>, 'config'> & { config: Omit<TrainingConfig, 'out' | 'cacheDir' | 'wasmDir' | 'db' | 'resume'> };

export function isRunFolder(dir: string): boolean {
  return existsSync(join(dir, RUN_FILE));
}

export async function writeRunFile(dir: string, run: RunFile): Promise<void> {
  await writeFile(join(dir, RUN_FILE), `${JSON.stringify(run, null, 2)}\n`);
}

export async function readRunFile(dir: string): Promise<RunFile> {
  return RunFileSchema.parse(JSON.parse(await readFile(join(dir, RUN_FILE), 'utf8'))) as RunFile;
}

export async function removeRunFile(dir: string): Promise<void> {
  await rm(join(dir, RUN_FILE), { force: true });
}

/** The clips a run reads are still there (a session's clips are cut anew each launch and are not). */
function missingData(run: RunFile): string | null {
  const gone = sourceList(run.config.data)
    .flatMap(({ dir, csv }) => [dir, csv])
    .find((p) => p !== undefined && !existsSync(p));
  return gone === undefined ? null : `its clips are gone (${gone})`;
}

/** Interrupted runs in modelsDir, resumable or not, after removing those that had not finished an epoch. */
export async function interruptedRuns(modelsDir: string, isIdle: (id: string) => boolean): Promise<InterruptedRun[]> {
  const out: InterruptedRun[] = [];
  for (const entry of await readdir(modelsDir, { withFileTypes: true })) {
    const dir = join(modelsDir, entry.name);
    if (!entry.isDirectory() || !isIdle(entry.name) || !isRunFolder(dir)) continue;
    let run: RunFile;
    let state: Awaited<ReturnType<typeof readCheckpointProgress>>;
    try {
      state = await readCheckpointProgress(checkpointDirOf(dir));
      if (!state) {
        await rm(dir, { recursive: true, force: true });
        continue;
      }
      run = await readRunFile(dir);
    } catch (err) {
      out.push({ id: entry.name, name: entry.name, epochsDone: 0, epochs: 0, bestEpoch: 0, bestValAccuracy: null, dataset: '', resumable: false, reason: `unreadable (${(err as Error).message})` });
      continue;
    }
    const missing = missingData(run);
    out.push({
      id: entry.name,
      name: run.name,
      epochsDone: state.history.length,
      epochs: run.config.epochs ?? 0,
      bestEpoch: state.bestEpoch,
      bestValAccuracy: state.bestEpoch > 0 ? (state.history[state.bestEpoch - 1]?.valAccuracy ?? null) : null,
      dataset: run.datasetSource,
      resumable: missing === null,
      ...(missing === null ? {} : { reason: missing }),
    });
  }
  return out;
}
