/**
 * Label sets the user defines (issue 15 item 2): a kind (categorical or an ordinal scale) and each class's colour
 * and key, stored beside the classes by migration 6 and checked on the way in; a database from version 5 keeps
 * its sessions, their sets becoming categorical with default colours and keys. A set is edited while no annotation
 * or model depends on what changes, and deleted while nothing is on it; the built-in set is fixed.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import {
  addAnnotation,
  addPoint,
  checkSessionLabel,
  createLabelSet,
  createSession,
  createTier,
  deleteAnnotation,
  deleteLabelSet,
  ensureModel,
  getLabelSetById,
  getLabelSet,
  getSessionByName,
  listAnnotations,
  listLabelSets,
  migrate,
  MIGRATIONS,
  openStore,
  schemaVersion,
  sessionLabelSet,
  startTrainingRun,
  storeRecording,
  updateLabelSet,
} from '../../electron/store/index.ts';
import { storeSequence, tempDir, virtualRecording } from '../helpers/store-fixtures.ts';

const stores = storeSequence('ser-store-label-sets-');

describe('migration 6', () => {
  const { dir, cleanup } = tempDir('ser-store-label-sets-v5-');
  afterAll(cleanup);

  it('upgrades a version 5 database: its sets become categorical with default colours and keys, and its sessions keep labelling', () => {
    const file = join(dir, 'v5.sqlite');
    const v5 = new Database(file);
    migrate(v5, MIGRATIONS.filter((m) => m.version <= 5));
    expect(schemaVersion(v5)).toBe(5);
    v5.exec(`
      INSERT INTO label_sets (id, name, labels, created_at) VALUES (2, 'valence', '["negative","neutral","positive"]', 't');
      INSERT INTO recordings (id, path, content_hash, size_bytes, added_at) VALUES (1, '/a.wav', 'h', 1, 't');
      INSERT INTO sessions (id, name, label_set_id, created_at, updated_at) VALUES (1, 'old', 2, 't', 't');
      INSERT INTO tiers (id, session_id, name, kind, created_at) VALUES (1, 1, 'old', 'interval', 't');
      INSERT INTO annotations (recording_id, session_id, tier_id, start_sec, end_sec, label, created_at, updated_at) VALUES (1, 1, 1, 0, 1, 'positive', 't', 't');
    `);
    v5.close();

    const db = openStore(file);
    expect(schemaVersion(db)).toBe(6);
    const session = getSessionByName(db, 'old')!;
    expect(sessionLabelSet(db, session)).toEqual({
      id: 2,
      name: 'valence',
      kind: 'categorical',
      labels: ['negative', 'neutral', 'positive'],
      colours: [null, null, null],
      keys: [null, null, null],
      createdAt: 't',
    });
    expect(getLabelSet(db, 'ravdess')!.kind).toBe('categorical');
    expect(() => checkSessionLabel(db, session, 'negative')).not.toThrow();
    expect(() => checkSessionLabel(db, session, 'happy')).toThrow('"happy" is not a class of label set "valence"');
    addAnnotation(db, { sessionId: 1, recordingId: 1, startSec: 1, endSec: 2, label: 'negative' });
    expect(listAnnotations(db, { sessionId: 1 }).map((a) => a.label)).toEqual(['positive', 'negative']);
    expect(() => db.prepare("UPDATE label_sets SET kind = 'interval' WHERE id = 2").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE label_sets SET colours = '{}' WHERE id = 2").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('createLabelSet with a kind, colours and keys', () => {
  it('keeps an ordinal scale in the order given, with its colours (lower-cased) and keys, and a session on it', () => {
    const db = stores.next();
    const steps = ['5', '4', '3', '2', '1'];
    const set = createLabelSet(db, 'arousal', steps, { kind: 'ordinal', colours: ['#FF0000', null, '#00ff00'], keys: ['q', 'w', undefined, 'r'] });
    expect(set).toMatchObject({ kind: 'ordinal', labels: steps, colours: ['#ff0000', null, '#00ff00', null, null], keys: ['q', 'w', null, 'r', null] });
    expect(listLabelSets(db).map((s) => [s.name, s.kind, s.labels, s.colours, s.keys])).toEqual([
      ['ravdess', 'categorical', [...EMOTIONS], Array(8).fill(null), Array(8).fill(null)],
      ['arousal', 'ordinal', steps, set.colours, set.keys],
    ]);
    const session = createSession(db, { name: 'rating', labelSetId: set.id });
    expect(sessionLabelSet(db, session)).toEqual(set);
    expect(() => createSession(db, { name: 'mixed', labelSetId: set.id, labelSet: 'ravdess' })).toThrow(`label set ${set.id} is "arousal", not "ravdess"`);
    expect(() => createSession(db, { name: 'nowhere', labelSetId: 99 })).toThrow('no label set with id 99');
  });

  it('refuses a colour that is not #rrggbb, keys that are not one character or come twice, and a one-step scale', () => {
    const db = stores.next();
    const refused = (options: Parameters<typeof createLabelSet>[3], labels = ['low', 'high']) => () => createLabelSet(db, 'x', labels, options);
    expect(refused({ colours: ['red'] })).toThrow('the colour of "low" must be #rrggbb, not "red"');
    expect(refused({ colours: [null, '#12345'] })).toThrow('the colour of "high" must be #rrggbb, not "#12345"');
    expect(refused({ keys: ['ab'] })).toThrow('the key of "low" must be one character, not "ab"');
    expect(refused({ keys: [' '] })).toThrow('the key of "low" must be one character, not " "');
    expect(refused({ keys: ['a', 'A'] })).toThrow('"high" and "low" have the same key "A"');
    expect(refused({ keys: ['a', 'b', 'c'] })).toThrow('3 keys for 2 classes');
    expect(refused({ kind: 'ordinal' }, ['only'])).toThrow('an ordinal scale needs at least two steps');
    expect(refused({ kind: 'nominal' as 'ordinal' })).toThrow('a label set is categorical or ordinal, not "nominal"');
    expect(() => createLabelSet(db, ' ', ['a'])).toThrow('a label set needs a name');
    // Nothing refused was kept.
    expect(listLabelSets(db).map((s) => s.name)).toEqual(['ravdess']);
  });
});

describe('updateLabelSet and deleteLabelSet', () => {
  /** An "arousal" scale 1-3 with a session on it, one span labelled 2 and one point labelled 3. */
  function rated() {
    const db = stores.next();
    const set = createLabelSet(db, 'arousal', ['1', '2', '3'], { kind: 'ordinal', keys: ['q', null, null] });
    const session = createSession(db, { name: 'rating', labelSetId: set.id });
    const recording = storeRecording(db, virtualRecording('a.wav')).recording;
    const span = addAnnotation(db, { sessionId: session.id, recordingId: recording.id, startSec: 0, endSec: 1, label: '2' });
    addAnnotation(db, { sessionId: session.id, recordingId: recording.id, startSec: 1, endSec: 2, label: '2' });
    const bell = createTier(db, session.id, 'peaks', 'point');
    addPoint(db, { tierId: bell.id, recordingId: recording.id, timeSec: 0.5, label: '3' });
    return { db, set, session, span };
  }

  it('renames the set, adds and reorders classes, changes colours, keys and kind, and the session follows', () => {
    const { db, set, session } = rated();
    const changed = updateLabelSet(db, set.id, 'arousal 1-4', ['4', '3', '2', '1'], { kind: 'categorical', colours: ['#AA0000'], keys: [null, 'w'] });
    expect(changed).toEqual({ ...set, name: 'arousal 1-4', kind: 'categorical', labels: ['4', '3', '2', '1'], colours: ['#aa0000', null, null, null], keys: [null, 'w', null, null] });
    expect(sessionLabelSet(db, session)).toEqual(changed);
    expect(() => checkSessionLabel(db, session, '4')).not.toThrow();
  });

  it('refuses to rename or remove a class annotations or points carry, counting them, and keeps the set as it was', () => {
    const { db, set, span } = rated();
    expect(() => updateLabelSet(db, set.id, 'arousal', ['1', 'two', '3'])).toThrow('"2" is used by 2 annotations: relabel or delete them before renaming or removing that class');
    expect(() => updateLabelSet(db, set.id, 'arousal', ['1'])).toThrow('"2" is used by 2 annotations; "3" is used by 1 point: relabel or delete them before renaming or removing those classes');
    expect(getLabelSetById(db, set.id)).toEqual(set);
    // A class nothing carries any more goes: "1" never was used, "2" once its spans are gone.
    expect(updateLabelSet(db, set.id, 'arousal', ['2', '3'], { kind: 'ordinal' }).labels).toEqual(['2', '3']);
    deleteAnnotation(db, span.id);
    expect(() => updateLabelSet(db, set.id, 'arousal', ['3'])).toThrow('"2" is used by 1 annotation');
  });

  it("refuses changes to a model's classes but not to its set's name, colours and keys", () => {
    const db = stores.next();
    const set = createLabelSet(db, 'valence', ['negative', 'positive']);
    // A model with exactly these classes is registered on the user's set.
    expect(ensureModel(db, { name: 'tuned', version: '2', labels: ['negative', 'positive'] }).labelSetId).toBe(set.id);
    expect(() => updateLabelSet(db, set.id, 'valence', ['negative', 'positive', 'neutral'])).toThrow(
      'the classes of label set "valence" are the outputs of model "tuned 2"; only its name, colours and keys can change',
    );
    expect(() => updateLabelSet(db, set.id, 'valence', ['positive', 'negative'])).toThrow('are the outputs of model "tuned 2"');
    expect(updateLabelSet(db, set.id, 'valence (tuned)', ['negative', 'positive'], { colours: ['#0000ff', '#ff0000'] }).colours).toEqual(['#0000ff', '#ff0000']);
    expect(() => deleteLabelSet(db, set.id)).toThrow('label set "valence (tuned)" is used by model "tuned 2"');
  });

  it('refuses a taken name, a bad key and the built-in set, and deletes a set only once nothing is on it', () => {
    const { db, set } = rated();
    const ravdess = getLabelSet(db, 'ravdess')!;
    expect(() => updateLabelSet(db, set.id, 'ravdess', set.labels)).toThrow('a label set named "ravdess" already exists');
    expect(() => updateLabelSet(db, set.id, 'arousal', set.labels, { keys: ['a', 'A'] })).toThrow('"2" and "1" have the same key "A"');
    expect(() => updateLabelSet(db, ravdess.id, 'emotions', [...EMOTIONS])).toThrow('the built-in label set "ravdess" cannot be changed');
    expect(() => deleteLabelSet(db, ravdess.id)).toThrow('the built-in label set "ravdess" cannot be deleted');
    expect(() => deleteLabelSet(db, 99)).toThrow('no label set with id 99');

    createSession(db, { name: 'second pass', labelSetId: set.id });
    expect(() => deleteLabelSet(db, set.id)).toThrow('label set "arousal" is used by sessions "rating", "second pass"');
    const spare = createLabelSet(db, 'spare', ['a', 'b']);
    startTrainingRun(db, { labelSetId: spare.id, config: {} });
    expect(() => deleteLabelSet(db, spare.id)).toThrow('label set "spare" is used by the record of 1 training run');
    const unused = createLabelSet(db, 'unused', ['a']);
    deleteLabelSet(db, unused.id);
    expect(listLabelSets(db).map((s) => s.name)).toEqual(['ravdess', 'arousal', 'spare']);
  });
});
