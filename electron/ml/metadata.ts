import { z } from 'zod';
import { DEFAULT_FEATURES, framesFor, windowSamples } from '../audio/settings.ts';
import { EMOTIONS } from '../shared/labels.ts';

const FeatureSettingsSchema = z.object({
  sampleRate: z.number().int().positive(),
  nFft: z.number().int().positive(),
  hop: z.number().int().positive(),
  nMels: z.number().int().positive(),
  fMin: z.number().nonnegative(),
  fMax: z.number().positive(),
  topDb: z.number().positive(),
  windowSeconds: z.number().positive(),
  normalisation: z.enum(['none', 'per-clip-standardise']),
});

/** What calibrating on validation speakers found (calibration.ts); inference applies it, evaluations judge it. */
const CalibrationSchema = z.object({
  /** Outputs are softmax(log p / temperature). */
  temperature: z.number().positive(),
  /** Top probabilities below this are "uncertain"; null when no threshold reached the target precision. */
  minConfidence: z.number().min(0).max(1).nullable(),
  targetPrecision: z.number().min(0).max(1),
  /** On the validation clips, at minConfidence: the fraction kept and how many of those are right. */
  coverage: z.number().min(0).max(1).nullable(),
  precision: z.number().min(0).max(1).nullable(),
  validationClips: z.number().int().positive(),
  /** 15-bin expected calibration error on the validation clips, before and after scaling. */
  ece: z.object({ before: z.number().nonnegative(), after: z.number().nonnegative() }),
  /** The same error with each half of the speakers scaled by the other half's temperature (speaker-calibration.ts): the estimate for unseen speakers. */
  crossFitted: z
    .object({
      ece: z.object({ before: z.number().nonnegative(), after: z.number().nonnegative() }),
      clips: z.number().int().positive(),
      speakers: z.number().int().min(2),
    })
    .optional(),
});

export type ModelCalibration = z.infer<typeof CalibrationSchema>;

/**
 * metadata.json beside a model's model.json: everything needed to use the model the way it was
 * trained (labels in output order, exact feature settings) and to judge it (provenance, metrics).
 */
export const ModelMetadataSchema = z.object({
  format: z.literal('ser-studio-model'),
  version: z.literal(1),
  name: z.string().min(1),
  labels: z.array(z.string().min(1)).min(2),
  features: FeatureSettingsSchema,
  /** [nMels, frames, 1]: what the network's input layer takes. */
  inputShape: z.tuple([z.number().int().positive(), z.number().int().positive(), z.literal(1)]),
  /** False for a randomly initialised model, whose predictions mean nothing. */
  trained: z.boolean(),
  provenance: z.object({
    createdAt: z.iso.datetime(),
    data: z.string().optional(),
    split: z.string().optional(),
    epochs: z.number().int().nonnegative().optional(),
    seed: z.number().int().optional(),
    baseModel: z.string().optional(),
    notes: z.string().optional(),
  }),
  /** Absent for models never calibrated: their outputs are used as they are, with no threshold. */
  calibration: CalibrationSchema.optional(),
  /** Evaluation figures; open-ended so new protocols need no schema change. */
  metrics: z.record(z.string(), z.unknown()).optional(),
});

export type ModelMetadata = z.infer<typeof ModelMetadataSchema>;

/** Metadata of a freshly initialised baseline model, marked untrained. */
export function untrainedMetadata(name: string, labels: readonly string[] = EMOTIONS): ModelMetadata {
  const features = { ...DEFAULT_FEATURES };
  return {
    format: 'ser-studio-model',
    version: 1,
    name,
    labels: [...labels],
    features,
    inputShape: [features.nMels, framesFor(windowSamples(features), features), 1],
    trained: false,
    provenance: { createdAt: new Date().toISOString(), notes: 'randomly initialised, not trained' },
  };
}
