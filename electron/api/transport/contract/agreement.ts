/**
 * The API's agreement between annotators: labelling sessions (one per annotator) compared on a
 * shared frame grid. Merged into API in contract.ts; the same rules apply (inputs validated with
 * these schemas at the boundary, results typed here, nothing from Node reaches the renderer).
 */
import { z } from 'zod';

import { id, method, userPath } from './schema-kit.ts';

// ---- results ------------------------------------------------------------------------------------

export interface AgreementSummary {
  /** Cohen's kappa for two sessions, Fleiss' for more; null where undefined (one category throughout). */
  kappa: { kind: 'cohen' | 'fleiss'; value: number | null };
  krippendorffAlpha: number | null;
  /** Share of agreeing session pairs over the frames every session rated; null with none. */
  observedAgreement: number | null;
  /** Frames every session rated. */
  frames: number;
}

/** A run of frames where the sessions differ, with each session's label there (null: not rated). */
export interface Disagreement {
  startSec: number;
  endSec: number;
  labels: (string | null)[];
}

export interface RecordingAgreementReport {
  recordingId: number;
  path: string;
  /** File name without its folder. */
  name: string;
  figures: AgreementSummary;
  disagreements: Disagreement[];
}

export interface AgreementReport {
  /** Session names, in the order of every labels list and of the confusion's rows then columns. */
  sessions: string[];
  frameSec: number;
  categories: string[];
  pooled: AgreementSummary;
  /** Two sessions: frames the first put in category a and the second in b, pooled; null for more. */
  confusion: number[][] | null;
  /** The recordings at least two of the sessions hold, by path. */
  recordings: RecordingAgreementReport[];
}

// ---- methods ------------------------------------------------------------------------------------

const distinct = (what: string) =>
  z
    .array(id)
    .min(2)
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, `each ${what} may be given once`);

/** Sessions compared whole, or tiers (of one session or several): one or the other. */
const comparison = {
  sessionIds: distinct('session').optional(),
  tierIds: distinct('tier').optional(),
  /** Seconds per frame: 10 ms by default. */
  frameSec: z.number().min(0.001).max(1).optional(),
};
const oneKind = (v: { sessionIds?: number[]; tierIds?: number[] }) => (v.sessionIds === undefined) !== (v.tierIds === undefined);
const ONE_KIND = 'compare two or more sessions (sessionIds) or two or more tiers (tierIds), not both';

export const AGREEMENT_API = {
  'agreement.sessions': method<AgreementReport>()(z.object(comparison).strict().refine(oneKind, ONE_KIND)),
  /** Writes each recording's figures and disagreement segments, then the pooled figures, as CSV. */
  'agreement.export': method<{ path: string; rows: number }>()(z.object({ ...comparison, path: userPath }).strict().refine(oneKind, ONE_KIND)),
} as const;
