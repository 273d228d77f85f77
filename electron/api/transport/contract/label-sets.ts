/**
 * The API's label sets: the classes a session annotates with, categorical or an ordinal scale, each
 * class with its own colour and key where the user gave one. Merged into API in contract.ts under the
 * same rules (inputs validated here, results typed).
 */
import { z } from 'zod';

import { id, label, method, none } from './schema-kit.ts';

// ---- results ------------------------------------------------------------------------------------

export interface LabelClass {
  name: string;
  /** `#rrggbb`, or null for the app's colour for that class. */
  colour: string | null;
  /** The one character that labels with it, or null for its digit 1-8 by position. */
  key: string | null;
}

export interface LabelSetInfo {
  id: number;
  name: string;
  /** Classes to tell apart, or the steps of a scale from the lowest up (their order is the scale's). */
  kind: 'categorical' | 'ordinal';
  /** In the order of a model's output units. */
  classes: LabelClass[];
  /** The set that comes with the app (the eight RAVDESS emotions): it cannot be changed or deleted. */
  builtIn: boolean;
  createdAt: string;
}

// ---- methods ------------------------------------------------------------------------------------

const labelClass = z
  .object({
    name: label.refine((n) => n.trim() !== '', 'class names must not be blank'),
    colour: z
      .string()
      .regex(/^#[0-9a-fA-F]{6}$/, 'a colour is #rrggbb')
      .optional(),
    key: z
      .string()
      .refine((k) => [...k].length === 1 && k.trim() !== '', 'a key is one character')
      .optional(),
  })
  .strict();

const labelSetFields = z.object({
  name: z.string().trim().min(1).max(200),
  kind: z.enum(['categorical', 'ordinal']).default('categorical'),
  classes: z.array(labelClass).min(1).max(64),
});

export const LABEL_SETS_API = {
  'labelSets.list': method<LabelSetInfo[]>()(none),
  /** A new set; names and keys must be unique (keys within the set, either case of a letter being one key). */
  'labelSets.create': method<LabelSetInfo>()(labelSetFields.strict()),
  /**
   * Replaces a set's name, kind and classes under the same rules. Classes may be added; renaming or removing one
   * that annotations carry is refused with their count, and a model's set keeps its classes. The built-in set is fixed.
   */
  'labelSets.update': method<LabelSetInfo>()(labelSetFields.extend({ id }).strict()),
  /** Refused (conflict) while a session, model or training run is on the set, naming them, and for the built-in set. */
  'labelSets.delete': method<void>()(z.object({ id }).strict()),
};
