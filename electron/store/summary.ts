import { statement, type StoreDb } from './db.ts';
import { DEFAULT_LABEL_SET, getLabelSet, getLabelSetById } from './label-sets.ts';
import { getModelById } from './models.ts';
import { getSession } from './sessions.ts';

export interface LabelSummary {
  label: string;
  annotations: number;
  annotatedSeconds: number;
  /** Windows whose top label this is. */
  predictedWindows: number;
  /** Mean confidence of those windows; null when there are none. */
  meanConfidence: number | null;
}

export interface SummaryFilter {
  /** Annotations of this session and predictions for its recordings. */
  sessionId?: number;
  /** Predictions of this model. */
  modelId?: number;
}

/**
 * Counts per label: annotations and their total length, predicted windows and their mean
 * confidence. Labels come in label-set order (the session's, the model's, else the default set),
 * followed by any other label found in the data, so an empty class still gets its row.
 */
export function labelSummary(db: StoreDb, filter: SummaryFilter = {}): LabelSummary[] {
  const params = { session: filter.sessionId ?? null, model: filter.modelId ?? null };
  const annotated = statement<[typeof params], { label: string; n: number; seconds: number }>(
    db,
    `SELECT label, COUNT(*) AS n, SUM(end_sec - start_sec) AS seconds FROM annotations
     WHERE @session IS NULL OR session_id = @session
     GROUP BY label`,
  ).all(params);
  const predicted = statement<[typeof params], { label: string; n: number; mean: number }>(
    db,
    `SELECT top_label AS label, COUNT(*) AS n, AVG(confidence) AS mean FROM predictions
     WHERE (@model IS NULL OR model_id = @model)
       AND (@session IS NULL OR recording_id IN (SELECT recording_id FROM session_recordings WHERE session_id = @session))
     GROUP BY top_label`,
  ).all(params);
  const session = filter.sessionId === undefined ? undefined : getSession(db, filter.sessionId);
  const model = filter.modelId === undefined ? undefined : getModelById(db, filter.modelId);
  const declared = [
    ...(session ? getLabelSetById(db, session.labelSetId).labels : []),
    ...(model ? model.labels : []),
    ...(!session && !model ? (getLabelSet(db, DEFAULT_LABEL_SET)?.labels ?? []) : []),
  ];
  const found = [...annotated, ...predicted].map((r) => r.label).sort();
  const labels = [...new Set([...declared, ...found])];
  const byLabel = <T extends { label: string }>(rows: T[]) => new Map(rows.map((r) => [r.label, r]));
  const a = byLabel(annotated);
  const p = byLabel(predicted);
  return labels.map((label) => ({
    label,
    annotations: a.get(label)?.n ?? 0,
    annotatedSeconds: a.get(label)?.seconds ?? 0,
    predictedWindows: p.get(label)?.n ?? 0,
    meanConfidence: p.get(label)?.mean ?? null,
  }));
}
