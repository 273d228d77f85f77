/**
 * Label sets the user defines (issue 15 item 2): a kind (categorical or an ordinal scale) and each class's colour
 * and key, stored beside the classes by migration 6 and checked on the way in; a database from version 5 keeps
 * its sessions, their sets becoming categorical with default colours and keys.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../electron/shared/labels.ts';
import {
  addAnnotation,
  checkSessionLabel,
  createLabelSet,
  createSession,
  getLabelSet,
  getSessionByName,
  listAnnotations,
  listLabelSets,
  migrate,
  MIGRATIONS,
  openStore,
  schemaVersion,
  sessionLabelSet,
} from '../../electron/store/index.ts';
import { storeSequence, tempDir } from '../helpers/store-fixtures.ts';

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
