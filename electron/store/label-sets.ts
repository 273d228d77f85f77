import { nowIso, statement, type StoreDb } from './db.ts';
import { StoreError } from './errors.ts';
import { DEFAULT_LABEL_SET } from './migrations.ts';

export { DEFAULT_LABEL_SET };

export interface LabelSet {
  id: number;
  name: string;
  /** Class names in the order of a model's output units. */
  labels: string[];
  createdAt: string;
}

interface LabelSetRow {
  id: number;
  name: string;
  labels: string;
  created_at: string;
}

const fromRow = (r: LabelSetRow): LabelSet => ({ id: r.id, name: r.name, labels: JSON.parse(r.labels), createdAt: r.created_at });

function checkLabels(labels: readonly string[]): void {
  if (labels.length === 0) throw new StoreError('a label set needs at least one class');
  const blank = labels.find((l) => l.trim() === '');
  if (blank !== undefined) throw new StoreError('class names must not be blank');
  const seen = new Set<string>();
  for (const l of labels) {
    if (seen.has(l)) throw new StoreError(`class "${l}" appears twice in the label set`);
    seen.add(l);
  }
}

export function getLabelSet(db: StoreDb, name: string): LabelSet | undefined {
  const row = statement<[string], LabelSetRow>(db, 'SELECT * FROM label_sets WHERE name = ?').get(name);
  return row && fromRow(row);
}

export function getLabelSetById(db: StoreDb, id: number): LabelSet {
  const row = statement<[number], LabelSetRow>(db, 'SELECT * FROM label_sets WHERE id = ?').get(id);
  if (!row) throw new StoreError(`no label set with id ${id}`);
  return fromRow(row);
}

export function listLabelSets(db: StoreDb): LabelSet[] {
  return statement<[], LabelSetRow>(db, 'SELECT * FROM label_sets ORDER BY id').all().map(fromRow);
}

/** A user's own classes for annotation and retraining. */
export function createLabelSet(db: StoreDb, name: string, labels: readonly string[]): LabelSet {
  checkLabels(labels);
  if (getLabelSet(db, name)) throw new StoreError(`a label set named "${name}" already exists`);
  const createdAt = nowIso();
  const { lastInsertRowid } = statement(db, 'INSERT INTO label_sets (name, labels, created_at) VALUES (?, ?, ?)').run(
    name,
    JSON.stringify(labels),
    createdAt,
  );
  return { id: Number(lastInsertRowid), name, labels: [...labels], createdAt };
}

/** The set with exactly these classes in this order, created under `name` (or a free variant of it) when none exists. */
export function labelSetFor(db: StoreDb, labels: readonly string[], name: string): LabelSet {
  checkLabels(labels);
  const row = statement<[string], LabelSetRow>(db, 'SELECT * FROM label_sets WHERE labels = ? ORDER BY id LIMIT 1').get(
    JSON.stringify(labels),
  );
  if (row) return fromRow(row);
  let free = name;
  for (let n = 2; getLabelSet(db, free); n++) free = `${name} (${n})`;
  return createLabelSet(db, free, labels);
}
