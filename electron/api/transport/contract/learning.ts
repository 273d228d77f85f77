/**
 * The API's active learning: the "label next" queue of the stretches the active model is least
 * sure of, and how each model does on the user's held-out labels. Merged into API in contract.ts;
 * the same rules apply (inputs validated here, results typed).
 */
import { z } from 'zod';

import { id, method } from './schema-kit.ts';

// ---- results ------------------------------------------------------------------------------------

export interface LabelQueueItem {
  recordingId: number;
  name: string;
  startSec: number;
  endSec: number;
  /** The model's top label there: Enter accepts it. */
  suggestion: string;
  confidence: number;
  /** 0..1 by the measure asked for; higher is less sure. */
  uncertainty: number;
}

export interface LabelQueue {
  model: { id: number; name: string };
  measure: 'margin' | 'entropy';
  items: LabelQueueItem[];
  /** The library's recordings the active model has not classified yet: none of their stretches can be ranked. */
  unclassified: number[];
}

export interface HeldOutAccuracy {
  /** The session's held-out labels (every fifth annotation), which fine-tuning leaves out. */
  heldOut: number;
  /** Each model with predictions on them, oldest first: held-out labels it labels as the user did, of those it could be scored on. */
  models: { id: number; name: string; correct: number; n: number }[];
}

// ---- methods ------------------------------------------------------------------------------------

export const LEARNING_API = {
  /** The stretches of the library to label next into the session, least sure first (the active model's stored windows). */
  'learning.queue': method<LabelQueue>()(
    z
      .object({
        sessionId: id,
        /** Stretches annotated on this tier are left out; default the session's first tier. */
        tierId: id.optional(),
        measure: z.enum(['margin', 'entropy']).default('margin'),
        limit: z.number().int().min(1).max(1000).default(50),
      })
      .strict(),
  ),
  'learning.heldOut': method<HeldOutAccuracy>()(z.object({ sessionId: id }).strict()),
} as const;
