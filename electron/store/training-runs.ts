import { nowIso, statement, type StoreDb } from './db.ts';
import { StoreError } from './errors.ts';

export type TrainingStatus = 'running' | 'completed' | 'failed' | 'cancelled';

export interface TrainingRun {
  id: number;
  modelId: number | null;
  labelSetId: number;
  config: unknown;
  /** One entry per finished epoch (loss, accuracy, ...). */
  history: Record<string, number>[];
  finalMetrics: unknown;
  status: TrainingStatus;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

interface TrainingRunRow {
  id: number;
  model_id: number | null;
  label_set_id: number;
  config: string;
  history: string;
  final_metrics: string | null;
  status: TrainingStatus;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

const fromRow = (r: TrainingRunRow): TrainingRun => ({
  id: r.id,
  modelId: r.model_id,
  labelSetId: r.label_set_id,
  config: JSON.parse(r.config),
  history: JSON.parse(r.history),
  finalMetrics: r.final_metrics === null ? null : JSON.parse(r.final_metrics),
  status: r.status,
  error: r.error,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export function getTrainingRun(db: StoreDb, id: number): TrainingRun | undefined {
  const row = statement<[number], TrainingRunRow>(db, 'SELECT * FROM training_runs WHERE id = ?').get(id);
  return row && fromRow(row);
}

export function listTrainingRuns(db: StoreDb): TrainingRun[] {
  return statement<[], TrainingRunRow>(db, 'SELECT * FROM training_runs ORDER BY started_at DESC, id DESC').all().map(fromRow);
}

export function startTrainingRun(db: StoreDb, input: { labelSetId: number; config: unknown; modelId?: number }): TrainingRun {
  const { lastInsertRowid } = statement(
    db,
    `INSERT INTO training_runs (model_id, label_set_id, config, history, status, started_at)
     VALUES (?, ?, ?, '[]', 'running', ?)`,
  ).run(input.modelId ?? null, input.labelSetId, JSON.stringify(input.config), nowIso());
  return getTrainingRun(db, Number(lastInsertRowid))!;
}

function running(db: StoreDb, id: number): TrainingRun {
  const run = getTrainingRun(db, id);
  if (!run) throw new StoreError(`no training run with id ${id}`);
  if (run.status !== 'running') throw new StoreError(`training run ${id} has already ${run.status === 'completed' ? 'completed' : run.status}`);
  return run;
}

/** Appends one epoch's figures as it finishes, so an interrupted run keeps its history. */
export function recordEpoch(db: StoreDb, id: number, epoch: Record<string, number>): void {
  running(db, id);
  statement(db, "UPDATE training_runs SET history = json_insert(history, '$[#]', json(?)) WHERE id = ?").run(JSON.stringify(epoch), id);
}

export function finishTrainingRun(
  db: StoreDb,
  id: number,
  outcome:
    | { status: 'completed'; finalMetrics: unknown; modelId?: number }
    | { status: 'failed' | 'cancelled'; error?: string },
): TrainingRun {
  const run = running(db, id);
  const completed = outcome.status === 'completed';
  statement(
    db,
    'UPDATE training_runs SET status = ?, final_metrics = ?, error = ?, model_id = ?, finished_at = ? WHERE id = ?',
  ).run(
    outcome.status,
    completed ? JSON.stringify(outcome.finalMetrics) : null,
    completed ? null : (outcome.error ?? null),
    completed ? (outcome.modelId ?? run.modelId) : run.modelId,
    nowIso(),
    id,
  );
  return getTrainingRun(db, id)!;
}
