/**
 * What a trained model's metadata.json records of its training beyond the schema's fixed fields
 * (they live in its open `metrics` record): the training window and the split, which evaluation
 * needs to cut clips the same way and to find the model's own test clips.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_TRAINING_WINDOW, TRAINING_WINDOW_STRATEGIES, type TrainingWindowStrategy } from '../audio/training-window.ts';
import { ModelMetadataSchema, type ModelMetadata } from './metadata.ts';
import type { SplitSpec } from './splits.ts';

export const SplitSpecSchema = z.discriminatedUnion('protocol', [
  z.object({ protocol: z.literal('random'), seed: z.number(), validationFraction: z.number().optional(), testFraction: z.number().optional() }),
  z.object({ protocol: z.literal('speaker'), seed: z.number(), folds: z.number(), fold: z.number(), validationSpeakerFraction: z.number().optional(), foldCorpus: z.string().optional() }),
  z.object({ protocol: z.literal('corpus'), seed: z.number(), heldOut: z.string(), validationSpeakerFraction: z.number().optional() }),
  z.object({ protocol: z.literal('all-speakers'), seed: z.number(), validationSpeakerFraction: z.number().optional() }),
]);

const RecordedSchema = z.object({
  training: z.object({ window: z.enum(TRAINING_WINDOW_STRATEGIES as [TrainingWindowStrategy, ...TrainingWindowStrategy[]]) }).optional(),
  split: z.object({ spec: SplitSpecSchema }).optional(),
  test: z.object({ accuracy: z.number() }).optional(),
  crossValidation: z.object({ accuracy: z.object({ mean: z.number(), sd: z.number(), n: z.number() }) }).optional(),
});

function recorded(metadata: ModelMetadata): z.infer<typeof RecordedSchema> {
  const parsed = RecordedSchema.safeParse(metadata.metrics ?? {});
  return parsed.success ? parsed.data : {};
}

/** The window the model was trained on; models from elsewhere get the default, the baseline's. */
export function recordedWindow(metadata: ModelMetadata): TrainingWindowStrategy {
  return recorded(metadata).training?.window ?? DEFAULT_TRAINING_WINDOW;
}

/** The split the model was trained with, or null when its metadata does not say. */
export function recordedSplit(metadata: ModelMetadata): SplitSpec | null {
  return recorded(metadata).split?.spec ?? null;
}

/**
 * The one accuracy to show beside the model's name, worded by what it was measured on: speakers the
 * model never heard (cross-validation or a speaker-held-out test) or held-out clips of speakers it
 * did hear, which users should not mistake for the former. Null when the model records no test.
 */
export function headlineAccuracy(metadata: ModelMetadata): string | null {
  const { crossValidation, test, split } = recorded(metadata);
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  if (crossValidation) {
    const { mean, sd, n } = crossValidation.accuracy;
    return `${pct(mean)} ± ${(100 * sd).toFixed(0)} on unseen speakers (${n} folds)`;
  }
  if (!test) return null;
  return split?.spec.protocol === 'speaker' ? `${pct(test.accuracy)} on unseen speakers` : `${pct(test.accuracy)} on held-out clips`;
}

/** Rewrites a model folder's metadata.json through update, validated and written atomically. */
export async function updateModelMetadata(dir: string, update: (metadata: ModelMetadata) => ModelMetadata): Promise<ModelMetadata> {
  const file = join(dir, 'metadata.json');
  const metadata = ModelMetadataSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  const updated = ModelMetadataSchema.parse(update(metadata));
  await writeFile(`${file}.tmp`, `${JSON.stringify(updated, null, 2)}\n`);
  await rename(`${file}.tmp`, file);
  return updated;
}

/** Adds (or replaces) metrics entries in a model folder's metadata.json. */
export function addModelMetrics(dir: string, metrics: Record<string, unknown>): Promise<ModelMetadata> {
  return updateModelMetadata(dir, (metadata) => ({ ...metadata, metrics: { ...metadata.metrics, ...metrics } }));
}
