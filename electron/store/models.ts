import { inTransaction, nowIso, statement, type StoreDb } from './db.ts';
import { StoreError } from './errors.ts';
import { labelSetFor } from './label-sets.ts';

/**
 * A model's test-set results. `confusion[i][j]` counts clips of true class labels[i] predicted
 * as labels[j], in the order of the model's label set; other figures ride along as given.
 */
export interface ModelMetrics {
  confusion?: number[][];
  [figure: string]: unknown;
}

export interface Model {
  id: number;
  name: string;
  /** '' when the model has no version. */
  version: string;
  directory: string | null;
  labelSetId: number;
  labels: string[];
  metrics: ModelMetrics | null;
  /** Where the model came from: training data, base model, commit. */
  provenance: unknown;
  createdAt: string;
}

export interface ModelSpec {
  name: string;
  version?: string;
  labels: readonly string[];
  directory?: string | null;
  provenance?: unknown;
  metrics?: ModelMetrics | null;
}

interface ModelRow {
  id: number;
  name: string;
  version: string;
  directory: string | null;
  label_set_id: number;
  labels: string;
  metrics: string | null;
  provenance: string | null;
  created_at: string;
}

const SELECT = 'SELECT m.*, l.labels FROM models m JOIN label_sets l ON l.id = m.label_set_id';

const fromRow = (r: ModelRow): Model => ({
  id: r.id,
  name: r.name,
  version: r.version,
  directory: r.directory,
  labelSetId: r.label_set_id,
  labels: JSON.parse(r.labels),
  metrics: r.metrics === null ? null : JSON.parse(r.metrics),
  provenance: r.provenance === null ? null : JSON.parse(r.provenance),
  createdAt: r.created_at,
});

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

export function getModelById(db: StoreDb, id: number): Model | undefined {
  const row = statement<[number], ModelRow>(db, `${SELECT} WHERE m.id = ?`).get(id);
  return row && fromRow(row);
}

/** The model with this name and version, or without a version: the most recently registered one of that name. */
export function getModel(db: StoreDb, name: string, version?: string): Model | undefined {
  const row =
    version === undefined
      ? statement<[string], ModelRow>(db, `${SELECT} WHERE m.name = ? ORDER BY m.created_at DESC, m.id DESC LIMIT 1`).get(name)
      : statement<[string, string], ModelRow>(db, `${SELECT} WHERE m.name = ? AND m.version = ?`).get(name, version);
  return row && fromRow(row);
}

export function listModels(db: StoreDb): Model[] {
  return statement<[], ModelRow>(db, `${SELECT} ORDER BY m.name, m.created_at, m.id`).all().map(fromRow);
}

/**
 * The stored model with this name and version, registered on first use. Its classes must match
 * the stored ones: predictions are kept in label-set order, so a mismatch would mislabel them.
 */
export function ensureModel(db: StoreDb, spec: ModelSpec): Model {
  const version = spec.version ?? '';
  const existing = getModel(db, spec.name, version);
  if (existing) {
    if (JSON.stringify(existing.labels) !== JSON.stringify(spec.labels)) {
      throw new StoreError(
        `model "${spec.name}"${version ? ` version ${version}` : ''} is stored with classes [${existing.labels.join(', ')}], ` +
          `not [${spec.labels.join(', ')}]; give the retrained model a new name or version`,
      );
    }
    return existing;
  }
  return inTransaction(db, () => {
    const labelSet = labelSetFor(db, spec.labels, `${spec.name}${version ? ` ${version}` : ''}`);
    const { lastInsertRowid } = statement(
      db,
      `INSERT INTO models (name, version, directory, label_set_id, metrics, provenance, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(spec.name, version, spec.directory ?? null, labelSet.id, json(spec.metrics), json(spec.provenance), nowIso());
    return getModelById(db, Number(lastInsertRowid))!;
  });
}

export function setModelMetrics(db: StoreDb, id: number, metrics: ModelMetrics): Model {
  const { labels } = getModelById(db, id) ?? { labels: undefined };
  if (!labels) throw new StoreError(`no model with id ${id}`);
  const n = labels.length;
  if (metrics.confusion && (metrics.confusion.length !== n || metrics.confusion.some((row) => row.length !== n))) {
    throw new StoreError(`confusion matrix must be ${n} x ${n}, one row and column per class`);
  }
  statement(db, 'UPDATE models SET metrics = ? WHERE id = ?').run(JSON.stringify(metrics), id);
  return getModelById(db, id)!;
}

/** Gives a model a new name; its version, classes and predictions stay with it. */
export function renameModel(db: StoreDb, id: number, name: string): Model {
  const model = getModelById(db, id);
  if (!model) throw new StoreError(`no model with id ${id}`);
  if (getModel(db, name, model.version)) throw new StoreError(`model "${name}"${model.version ? ` version ${model.version}` : ''} already exists`);
  statement(db, 'UPDATE models SET name = ? WHERE id = ?').run(name, id);
  return getModelById(db, id)!;
}
