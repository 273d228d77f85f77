import { headlineKappa, type AgreementFigures } from '../annotation/agreement.ts';
import type { SessionAgreement } from '../annotation/session-agreement.ts';
import { exportCsv, type CsvCell, type CsvOptions } from './csv.ts';
import { round6 } from './numbers.ts';

/**
 * One table for a spreadsheet's filter: a "recording" row per recording with its figures, followed
 * by its "disagreement" rows (span and each session's label, in a column per session), and a
 * closing "pooled" row over all of them. The kappa column is cohen_kappa for two sessions and
 * fleiss_kappa for more.
 */
export function agreementHeader(agreement: SessionAgreement): string[] {
  return [
    'scope',
    'path',
    'start_s',
    'end_s',
    'frames',
    `${headlineKappa(agreement.pooled).kind}_kappa`,
    'krippendorff_alpha',
    'observed_agreement',
    ...agreement.sessions.map((name) => `label_${name}`),
  ];
}

const figure = (value: number | null): CsvCell => (value === null ? null : round6(value));

function figuresCells(figures: AgreementFigures): CsvCell[] {
  return [figures.units, figure(headlineKappa(figures).value), figure(figures.krippendorffAlpha), figure(figures.observedAgreement)];
}

export function* agreementRows(agreement: SessionAgreement): Generator<CsvCell[]> {
  const noLabels = agreement.sessions.map(() => null);
  for (const recording of agreement.recordings) {
    yield ['recording', recording.path, 0, round6(recording.extentSec), ...figuresCells(recording.figures), ...noLabels];
    for (const d of recording.disagreements) {
      const frames = Math.round((d.endSec - d.startSec) / agreement.frameSec);
      yield ['disagreement', recording.path, d.startSec, d.endSec, frames, null, null, null, ...d.labels];
    }
  }
  yield ['pooled', null, null, null, ...figuresCells(agreement.pooled), ...noLabels];
}

/** Writes the agreement report to a file (or STDOUT); resolves with the row count. */
export function exportAgreement(agreement: SessionAgreement, target: string, options: CsvOptions = {}): Promise<number> {
  return exportCsv(target, agreementHeader(agreement), agreementRows(agreement), options);
}
