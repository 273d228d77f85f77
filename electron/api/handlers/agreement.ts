import { basename } from 'node:path';
import { headlineKappa, type AgreementFigures } from '../../annotation/agreement.ts';
import { DEFAULT_FRAME_SEC } from '../../annotation/frame-grid.ts';
import { sessionAgreement, type SessionAgreement, type TierRater } from '../../annotation/session-agreement.ts';
import { exportAgreement } from '../../export/agreement-csv.ts';
import { getTier } from '../../store/index.ts';
import type { AgreementReport, AgreementSummary, ApiHandlers } from '../transport/contract.ts';
import type { ServiceContext } from '../context.ts';
import { sessionOf } from './sessions.ts';
import { ApiError } from '../transport/errors.ts';

const summary = (f: AgreementFigures): AgreementSummary => ({
  kappa: headlineKappa(f),
  krippendorffAlpha: f.krippendorffAlpha,
  observedAgreement: f.observedAgreement,
  frames: f.units,
});

function toReport(a: SessionAgreement): AgreementReport {
  return {
    sessions: a.sessions,
    frameSec: a.frameSec,
    categories: a.categories,
    pooled: summary(a.pooled),
    confusion: a.pooled.cohen?.confusion ?? null,
    recordings: a.recordings.map((r) => ({
      recordingId: r.recordingId,
      path: r.path,
      name: basename(r.path),
      figures: summary(r.figures),
      disagreements: r.disagreements,
    })),
  };
}

export function agreementHandlers(c: ServiceContext): Pick<ApiHandlers, 'agreement.sessions' | 'agreement.export'> {
  /** A tier is named by its session where the tiers compared come from more than one. */
  const tierRaters = (tierIds: number[]): TierRater[] => {
    const tiers = tierIds.map((tierId) => {
      const tier = getTier(c.db, tierId);
      if (!tier) throw new ApiError('not_found', `no tier with id ${tierId}`);
      if (tier.kind !== 'interval') throw new ApiError('invalid_input', `tier "${tier.name}" holds points in time, not stretches to compare`);
      return tier;
    });
    const oneSession = new Set(tiers.map((t) => t.sessionId)).size === 1;
    return tiers.map((tier) => {
      const session = sessionOf(c, tier.sessionId);
      return { name: oneSession ? tier.name : `${session.name} › ${tier.name}`, session, tierId: tier.id };
    });
  };
  const compare = ({ sessionIds, tierIds, frameSec }: { sessionIds?: number[]; tierIds?: number[]; frameSec?: number }) =>
    sessionAgreement(c.db, tierIds ? tierRaters(tierIds) : sessionIds!.map((id) => sessionOf(c, id)), frameSec ?? DEFAULT_FRAME_SEC);
  return {
    'agreement.sessions': (input) => toReport(compare(input)),
    'agreement.export': async ({ path, ...input }) => {
      const target = c.paths.writablePath(path);
      return { path: target, rows: await exportAgreement(compare(input), target) };
    },
  };
}
