/**
 * The API's tiers and annotation files: a session's tiers (one per annotator, or "emotion" and
 * "arousal"), and Praat, Audacity, ELAN and Label Studio files read into and written out of a
 * session. Merged into API in contract.ts under the same rules (inputs validated here, results typed).
 */
import { z } from 'zod';

import { FORMATS } from '../../../shared/annotation-formats.ts';
import { id, method, userPath } from './schema-kit.ts';

// ---- results ------------------------------------------------------------------------------------

export interface Tier {
  id: number;
  sessionId: number;
  name: string;
  /** Spans (annotations) or points in time. */
  kind: 'interval' | 'point';
}

export interface ImportedTier {
  tier: string;
  kind: Tier['kind'];
  /** Annotations or points added. */
  added: number;
  /** Identical ones the tier already held (the file was imported before). */
  present: number;
}

/** What an annotation file's interval labels are, against the session's label set, before importing it. */
export interface AnnotationFileLabels {
  labels: string[];
  /** The file's labels the session's label set lacks: the import asks what each becomes. */
  unknown: string[];
  sessionLabels: string[];
}

export interface AnnotationFilesResult {
  /** Each file written, with how many tiers it holds. */
  files: { path: string; tiers: number }[];
}

// ---- methods ------------------------------------------------------------------------------------

const format = z.enum(FORMATS);

export const ANNOTATIONS_API = {
  'tiers.list': method<Tier[]>()(z.object({ sessionId: id }).strict()),
  'tiers.create': method<Tier>()(
    z.object({ sessionId: id, name: z.string().trim().min(1).max(200), kind: z.enum(['interval', 'point']).optional() }).strict(),
  ),
  /**
   * Reads an annotation file inside the library into a session, on one recording: each of the
   * file's tiers into the session's tier of that name (made when missing). All or nothing; a
   * broken file's error names the line. The format is the extension's unless given.
   */
  'annotations.import': method<ImportedTier[]>()(
    z
      .object({
        path: userPath,
        sessionId: id,
        recordingId: id,
        format: format.optional(),
        /** The file's interval labels renamed to the session's (null: left out), as annotations.labelsOf found them. */
        labelMap: z.record(z.string().max(200), z.string().min(1).max(200).nullable()).optional(),
      })
      .strict(),
  ),
  /** An annotation file's interval labels and those the session's label set lacks, read without importing. */
  'annotations.labelsOf': method<AnnotationFileLabels>()(z.object({ path: userPath, sessionId: id, format: format.optional() }).strict()),
  /**
   * Writes a session's tiers as one file per recording (Audacity: per recording and tier) into a
   * folder of the library, named after each recording. Only new files, or files this app wrote
   * there before when `replace` (the user confirmed).
   */
  'annotations.export': method<AnnotationFilesResult>()(
    z.object({ sessionId: id, format, folder: userPath, recordingId: id.optional(), replace: z.boolean().optional() }).strict(),
  ),
} as const;
