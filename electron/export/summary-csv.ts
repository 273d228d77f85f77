import {
  iteratePredictionReport,
  labelSummary,
  listAnnotations,
  listRecordings,
  predictionLabels,
  type PredictionReportRow,
  type Recording,
  type StoreDb,
  type SummaryFilter,
} from '../store/index.ts';
import { exportCsv, type CsvCell, type CsvOptions } from './csv.ts';
import { NO_SPEECH } from '../shared/outcomes.ts';
import { round6, roundOrNull } from './numbers.ts';
import { WindowMeans } from './window-means.ts';

/**
 * One table a spreadsheet can filter on its first column: `recording` rows first (one per
 * recording and model), then `label` rows (one per label, across the library). A column that
 * means nothing for a kind of row is left empty there.
 */
export function summaryHeader(labels: readonly string[]): string[] {
  return [
    'scope',
    'path',
    'label',
    'model',
    'model_version',
    'duration_s',
    'windows',
    'speech_share',
    'top_label',
    'recordings',
    'annotations',
    'annotated_s',
    ...labels.map((l) => `p_${l}`),
  ];
}

/** The sums of one recording's windows in the latest run of one model. */
interface RunMean {
  first: PredictionReportRow;
  means: WindowMeans;
  /** Windows with speech per top label. */
  tops: Map<string, number>;
}

const argmax = (values: readonly number[]) => values.reduce((best, v, i) => (v > values[best] ? i : best), 0);

/**
 * Each recording's latest run per model (an older run of the same model is superseded by
 * classifying again). Runs arrive grouped by recording, model and run, so one run is summed at a
 * time; the latest is the one whose windows were stored last.
 */
function latestRunMeans(db: StoreDb, filter: SummaryFilter): Map<number, RunMean[]> {
  const byRecording = new Map<number, RunMean[]>();
  let current: RunMean | undefined;
  const keep = (run: RunMean) => {
    const runs = byRecording.get(run.first.recordingId) ?? [];
    const same = runs.findIndex((r) => r.first.modelId === run.first.modelId);
    if (same < 0) runs.push(run);
    else if (run.first.createdAt >= runs[same].first.createdAt) runs[same] = run;
    byRecording.set(run.first.recordingId, runs);
  };
  for (const p of iteratePredictionReport(db, filter)) {
    const { first } = current ?? {};
    if (!current || first!.recordingId !== p.recordingId || first!.modelId !== p.modelId || first!.runId !== p.runId) {
      if (current) keep(current);
      current = { first: p, means: new WindowMeans(p.probabilities.length), tops: new Map() };
    }
    if (!current.means.add(p.probabilities, p.speechShare)) continue;
    const top = p.labels[argmax(p.probabilities)];
    current.tops.set(top, (current.tops.get(top) ?? 0) + 1);
  }
  if (current) keep(current);
  return byRecording;
}

/** Totals of one label over the recording rows. */
interface LabelTotals {
  recordings: number;
  windows: number;
  /** Sum and count of the recordings' mean probability of this label. */
  probabilitySum: number;
  probabilityCount: number;
}

export interface SummaryOptions extends SummaryFilter {
  /** Which recordings get a row; default all. The app passes the library's view, so recordings of a removed folder stay out as they do in its list. */
  listed?: (path: string) => boolean;
}

export function summaryRows(db: StoreDb, filter: SummaryOptions = {}): { header: string[]; rows: CsvCell[][] } {
  const probabilityLabels = predictionLabels(db, { modelId: filter.modelId });
  const perLabel = labelSummary(db, filter);
  const labels = [...new Set([...probabilityLabels, ...perLabel.map((s) => s.label)])];
  const runs = latestRunMeans(db, filter);
  const annotated = new Map<number, { n: number; seconds: number }>();
  for (const a of listAnnotations(db, { sessionId: filter.sessionId })) {
    const t = annotated.get(a.recordingId) ?? { n: 0, seconds: 0 };
    annotated.set(a.recordingId, { n: t.n + 1, seconds: t.seconds + a.endSec - a.startSec });
  }
  const totals = new Map<string, LabelTotals>(labels.map((l) => [l, { recordings: 0, windows: 0, probabilitySum: 0, probabilityCount: 0 }]));

  const rows: CsvCell[][] = [];
  const recordingRow = (r: Recording, run: RunMean | undefined): CsvCell[] => {
    const a = annotated.get(r.id);
    const { mean, noSpeech } = run ? run.means.mean() : { mean: [], noSpeech: false };
    const top = run ? run.first.labels[argmax(mean)] : null;
    if (run) {
      if (!noSpeech) totals.get(top!)!.recordings++;
      for (const [label, n] of run.tops) totals.get(label)!.windows += n;
      run.first.labels.forEach((label, i) => {
        const t = totals.get(label)!;
        t.probabilitySum += mean[i];
        t.probabilityCount++;
      });
    }
    const p = labels.map((label) => {
      const i = run ? run.first.labels.indexOf(label) : -1;
      return i < 0 ? null : round6(mean[i]);
    });
    return [
      'recording',
      r.path,
      null,
      run?.first.modelName ?? null,
      run?.first.modelVersion ?? null,
      r.durationSec === null ? null : round6(r.durationSec),
      run?.means.windows ?? 0,
      roundOrNull(run?.means.speechShare() ?? null),
      noSpeech ? NO_SPEECH : top,
      null,
      a?.n ?? 0,
      round6(a?.seconds ?? 0),
      ...p,
    ];
  };
  for (const r of listRecordings(db, { sessionId: filter.sessionId })) {
    if (filter.listed && !filter.listed(r.path)) continue;
    const recordingRuns = runs.get(r.id);
    // With a model filter, a recording that model never classified is not part of its report.
    if (!recordingRuns && filter.modelId !== undefined) continue;
    for (const run of recordingRuns ?? [undefined]) rows.push(recordingRow(r, run));
  }

  const annotations = new Map(perLabel.map((s) => [s.label, s]));
  for (const label of labels) {
    const t = totals.get(label)!;
    const a = annotations.get(label);
    const p = labels.map((l) => (l === label && t.probabilityCount > 0 ? round6(t.probabilitySum / t.probabilityCount) : null));
    rows.push(['label', null, label, null, null, null, t.windows, null, null, t.recordings, a?.annotations ?? 0, round6(a?.annotatedSeconds ?? 0), ...p]);
  }
  return { header: summaryHeader(labels), rows };
}

/**
 * Writes the summary: per recording its duration, its windows and their mean share of speech, its
 * mean probability per label over the windows with speech and the top label of that mean ("no
 * speech" where none has), and its annotations; then per label the recordings and windows with speech
 * it tops, the mean of the recordings' mean probability of it (in its own p_ column), and its annotations.
 */
export async function exportSummary(db: StoreDb, target: string, options: CsvOptions & SummaryOptions = {}): Promise<number> {
  const { header, rows } = summaryRows(db, { sessionId: options.sessionId, modelId: options.modelId, listed: options.listed });
  return exportCsv(target, header, rows, options);
}
