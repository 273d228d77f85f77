import { inTransaction, nowIso, statement, type StoreDb } from './db.ts';
import { StoreError } from './errors.ts';
import { DEFAULT_LABEL_SET } from './migrations.ts';

export { DEFAULT_LABEL_SET };

/** Classes to tell apart (emotions), or the steps of a scale in order (arousal 1-5). */
export type LabelSetKind = 'categorical' | 'ordinal';
const LABEL_SET_KINDS: readonly LabelSetKind[] = ['categorical', 'ordinal'];

export interface LabelSet {
  id: number;
  name: string;
  kind: LabelSetKind;
  /** Class names in the order of a model's output units; an ordinal set's from the lowest step up. */
  labels: string[];
  /** Per class, in the order of `labels`: its `#rrggbb` colour, or null for the app's default. */
  colours: (string | null)[];
  /** Per class: the single character that labels with it, or null for its digit by position. */
  keys: (string | null)[];
  createdAt: string;
}

/** What a new set may say beyond its classes; every entry may be left out or null. */
export interface LabelSetOptions {
  kind?: LabelSetKind;
  colours?: readonly (string | null | undefined)[];
  keys?: readonly (string | null | undefined)[];
}

interface LabelSetRow {
  id: number;
  name: string;
  kind: LabelSetKind;
  labels: string;
  colours: string | null;
  keys: string | null;
  created_at: string;
}

/** A stored per-class array, as long as the classes: missing entries (a NULL column) are defaults. */
function perClass(json: string | null, length: number): (string | null)[] {
  const values = json === null ? [] : (JSON.parse(json) as (string | null)[]);
  return Array.from({ length }, (_, i) => values[i] ?? null);
}

function fromRow(r: LabelSetRow): LabelSet {
  const labels = JSON.parse(r.labels) as string[];
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    labels,
    colours: perClass(r.colours, labels.length),
    keys: perClass(r.keys, labels.length),
    createdAt: r.created_at,
  };
}

const COLOUR = /^#[0-9a-f]{6}$/i;

/** The options checked and laid out per class; colours lower-cased, so one colour is one string. */
function checkOptions(labels: readonly string[], options: LabelSetOptions): Pick<LabelSet, 'kind' | 'colours' | 'keys'> {
  const kind = options.kind ?? 'categorical';
  if (!LABEL_SET_KINDS.includes(kind)) throw new StoreError(`a label set is categorical or ordinal, not "${kind}"`);
  if (kind === 'ordinal' && labels.length < 2) throw new StoreError('an ordinal scale needs at least two steps');
  const lengthOf = (values: readonly unknown[] | undefined, what: string) => {
    if (values && values.length > labels.length) throw new StoreError(`${values.length} ${what} for ${labels.length} classes`);
  };
  lengthOf(options.colours, 'colours');
  lengthOf(options.keys, 'keys');
  const colours = labels.map((label, i) => {
    const colour = options.colours?.[i] ?? null;
    if (colour !== null && !COLOUR.test(colour)) throw new StoreError(`the colour of "${label}" must be #rrggbb, not "${colour}"`);
    return colour && colour.toLowerCase();
  });
  const seen = new Map<string, string>();
  const keys = labels.map((label, i) => {
    const key = options.keys?.[i] ?? null;
    if (key === null) return null;
    if ([...key].length !== 1 || key.trim() === '') throw new StoreError(`the key of "${label}" must be one character, not "${key}"`);
    // Letters either case are one key: Caps Lock must not change what a key labels.
    const other = seen.get(key.toLowerCase());
    if (other !== undefined) throw new StoreError(`"${label}" and "${other}" have the same key "${key}"`);
    seen.set(key.toLowerCase(), label);
    return key;
  });
  return { kind, colours, keys };
}

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

/** A set's name, classes and options checked together; `id` is the set's own when it is being changed. */
function checkSet(db: StoreDb, name: string, labels: readonly string[], options: LabelSetOptions, id?: number): Pick<LabelSet, 'kind' | 'colours' | 'keys'> {
  if (name.trim() === '') throw new StoreError('a label set needs a name');
  checkLabels(labels);
  const checked = checkOptions(labels, options);
  const other = getLabelSet(db, name);
  if (other && other.id !== id) throw new StoreError(`a label set named "${name}" already exists`);
  return checked;
}

/** A per-class column: NULL when every class keeps the default. */
const perClassColumn = (values: (string | null)[]) => (values.every((v) => v === null) ? null : JSON.stringify(values));

/** A user's own classes for annotation and retraining: categorical, or an ordinal scale kept in the order given. */
export function createLabelSet(db: StoreDb, name: string, labels: readonly string[], options: LabelSetOptions = {}): LabelSet {
  const { kind, colours, keys } = checkSet(db, name, labels, options);
  const createdAt = nowIso();
  const { lastInsertRowid } = statement(db, 'INSERT INTO label_sets (name, kind, labels, colours, keys, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    name,
    kind,
    JSON.stringify(labels),
    perClassColumn(colours),
    perClassColumn(keys),
    createdAt,
  );
  return { id: Number(lastInsertRowid), name, kind, labels: [...labels], colours, keys, createdAt };
}

/** The set sessions start on when none is named; it comes with the app and models trained on RAVDESS use it. */
function editableLabelSet(db: StoreDb, id: number, doing: 'changed' | 'deleted'): LabelSet {
  const set = getLabelSetById(db, id);
  if (set.name === DEFAULT_LABEL_SET) throw new StoreError(`the built-in label set "${set.name}" cannot be ${doing}`);
  return set;
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The models whose output units are this set's classes, by name and version. */
function modelsOn(db: StoreDb, id: number): string[] {
  return statement<[number], { name: string; version: string }>(db, 'SELECT name, version FROM models WHERE label_set_id = ? ORDER BY id')
    .all(id)
    .map((m) => (m.version ? `${m.name} ${m.version}` : m.name));
}

/** Per class, how many annotations and points of the set's sessions carry it. */
function classUse(db: StoreDb, id: number): Map<string, { annotations: number; points: number }> {
  const rows = statement<[number, number], { label: string; annotations: number; points: number }>(
    db,
    `SELECT label, SUM(kind = 'a') AS annotations, SUM(kind = 'p') AS points FROM (
       SELECT a.label, 'a' AS kind FROM annotations a JOIN sessions s ON s.id = a.session_id WHERE s.label_set_id = ?
       UNION ALL
       SELECT p.label, 'p' FROM points p JOIN tiers t ON t.id = p.tier_id JOIN sessions s ON s.id = t.session_id WHERE s.label_set_id = ?
     ) GROUP BY label`,
  ).all(id, id);
  return new Map(rows.map((r) => [r.label, { annotations: r.annotations, points: r.points }]));
}

/**
 * A set's new name, classes, colours and keys. Classes may be added, reordered, renamed or removed while no
 * annotation carries them; a class in use is refused with its count (annotations name their class, so it would
 * leave them outside the set), and so is any change to the classes of a set a model's outputs follow.
 */
export function updateLabelSet(db: StoreDb, id: number, name: string, labels: readonly string[], options: LabelSetOptions = {}): LabelSet {
  return inTransaction(db, () => {
    const current = editableLabelSet(db, id, 'changed');
    const { kind, colours, keys } = checkSet(db, name, labels, options, id);
    if (JSON.stringify(labels) !== JSON.stringify(current.labels)) {
      const models = modelsOn(db, id);
      if (models.length > 0) throw new StoreError(`the classes of label set "${current.name}" are the outputs of ${models.length === 1 ? 'model' : 'models'} ${quoted(models)}; only its name, colours and keys can change`);
      const use = classUse(db, id);
      const gone = current.labels.filter((l) => !labels.includes(l) && use.has(l));
      if (gone.length > 0) {
        const uses = gone.map((l) => {
          const { annotations, points } = use.get(l)!;
          return `"${l}" is used by ${[annotations && count(annotations, 'annotation'), points && count(points, 'point')].filter(Boolean).join(' and ')}`;
        });
        throw new StoreError(`${uses.join('; ')}: relabel or delete them before renaming or removing ${gone.length === 1 ? 'that class' : 'those classes'}`);
      }
    }
    statement(db, 'UPDATE label_sets SET name = ?, kind = ?, labels = ?, colours = ?, keys = ? WHERE id = ?').run(
      name,
      kind,
      JSON.stringify(labels),
      perClassColumn(colours),
      perClassColumn(keys),
      id,
    );
    return getLabelSetById(db, id);
  });
}

/** Deletes a set no session, model or training run is on; otherwise says which are. */
export function deleteLabelSet(db: StoreDb, id: number): void {
  inTransaction(db, () => {
    const set = editableLabelSet(db, id, 'deleted');
    const sessions = statement<[number], { name: string }>(db, 'SELECT name FROM sessions WHERE label_set_id = ? ORDER BY id').all(id).map((s) => s.name);
    if (sessions.length > 0) throw new StoreError(`label set "${set.name}" is used by ${sessions.length === 1 ? 'session' : 'sessions'} ${quoted(sessions)}`);
    const models = modelsOn(db, id);
    if (models.length > 0) throw new StoreError(`label set "${set.name}" is used by ${models.length === 1 ? 'model' : 'models'} ${quoted(models)}`);
    const runs = statement<[number], { n: number }>(db, 'SELECT COUNT(*) AS n FROM training_runs WHERE label_set_id = ?').get(id)!.n;
    if (runs > 0) throw new StoreError(`label set "${set.name}" is used by the record of ${count(runs, 'training run')}`);
    statement(db, 'DELETE FROM label_sets WHERE id = ?').run(id);
  });
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
