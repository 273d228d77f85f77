/**
 * Label sets through the API (issue 15 item 2): labelSets.create validates a set's kind, classes, colours and
 * keys, sessions.create takes one by id, the session's result carries it for the renderer, and annotations on it
 * take its classes and nothing else; labelSets.update and labelSets.delete refuse what would strand annotations
 * or sessions, as conflicts naming them.
 */
import { describe, expect, it } from 'vitest';
import { addClips, apiFixture } from '../helpers/api-fixtures.ts';

const f = await apiFixture('ser-api-label-sets-');
await addClips(f, 'clips', [{ frequency: 440, seconds: 2 }]);
const [clip] = await f.call('recordings.list', {});
const failure = async (method: 'labelSets.create' | 'labelSets.update' | 'labelSets.delete' | 'sessions.create' | 'annotations.add', input: object) => {
  const reply = await f.dispatch(method, input);
  return reply.ok ? null : reply.error;
};

const AROUSAL = [
  { name: '1', colour: '#1F3A93', key: 'q' },
  { name: '2', colour: '#3f6fd0' },
  { name: '3' },
  { name: '4', key: 'r' },
  { name: '5', colour: '#d03f3f', key: 't' },
];

describe('labelSets', () => {
  it('creates an ordinal set, lists it after the default, starts a session on it and annotates with its classes only', async () => {
    const set = await f.call('labelSets.create', { name: 'arousal', kind: 'ordinal', classes: AROUSAL });
    expect(set).toEqual({
      id: expect.any(Number),
      name: 'arousal',
      kind: 'ordinal',
      classes: [
        { name: '1', colour: '#1f3a93', key: 'q' },
        { name: '2', colour: '#3f6fd0', key: null },
        { name: '3', colour: null, key: null },
        { name: '4', colour: null, key: 'r' },
        { name: '5', colour: '#d03f3f', key: 't' },
      ],
      builtIn: false,
      createdAt: expect.any(String),
    });
    expect((await f.call('labelSets.list', {})).map((s) => [s.name, s.kind])).toEqual([
      ['ravdess', 'categorical'],
      ['arousal', 'ordinal'],
    ]);

    const session = await f.call('sessions.create', { name: 'rating', labelSetId: set.id });
    expect(session.labels).toEqual(['1', '2', '3', '4', '5']);
    expect(session.labelSet).toEqual(set);
    expect((await f.call('sessions.list', {})).find((s) => s.id === session.id)?.labelSet).toEqual(set);

    const added = await f.call('annotations.add', { sessionId: session.id, recordingId: clip.id, startSec: 0.5, endSec: 1.5, label: '4' });
    expect((await f.call('annotations.list', { sessionId: session.id })).map((a) => [a.label, a.startSec, a.endSec])).toEqual([['4', 0.5, 1.5]]);
    expect(added.label).toBe('4');
    expect(await failure('annotations.add', { sessionId: session.id, recordingId: clip.id, startSec: 0, endSec: 1, label: 'happy' })).toEqual({
      code: 'invalid_input',
      message: '"happy" is not a class of label set "arousal" (1, 2, 3, 4, 5)',
    });
  });

  it('keeps sessions without a set on the eight emotions, and refuses a set that does not exist', async () => {
    const plain = await f.call('sessions.create', { name: 'plain' });
    expect(plain.labelSet).toMatchObject({ name: 'ravdess', kind: 'categorical' });
    expect(plain.labelSet.classes.every((c) => c.colour === null && c.key === null)).toBe(true);
    expect(await failure('sessions.create', { name: 'lost', labelSetId: 999 })).toEqual({ code: 'not_found', message: 'no label set with id 999' });
  });

  it('refuses bad colours, keys, kinds and names, at the boundary or in the store', async () => {
    const create = (input: object) => failure('labelSets.create', { name: 'bad', classes: [{ name: 'a' }, { name: 'b' }], ...input });
    expect((await create({ classes: [{ name: 'a', colour: 'red' }] }))?.code).toBe('invalid_input');
    expect((await create({ classes: [{ name: 'a', key: 'ab' }] }))?.code).toBe('invalid_input');
    expect((await create({ classes: [] }))?.code).toBe('invalid_input');
    expect((await create({ kind: 'nominal' }))?.code).toBe('invalid_input');
    expect(await create({ classes: [{ name: 'a', key: 'x' }, { name: 'b', key: 'X' }] })).toEqual({
      code: 'invalid_input',
      message: '"b" and "a" have the same key "X"',
    });
    expect(await create({ kind: 'ordinal', classes: [{ name: 'a' }] })).toEqual({ code: 'invalid_input', message: 'an ordinal scale needs at least two steps' });
    expect(await create({ classes: [{ name: 'a' }, { name: 'a' }] })).toEqual({ code: 'invalid_input', message: 'class "a" appears twice in the label set' });
    expect(await create({ name: 'arousal' })).toEqual({ code: 'conflict', message: 'a label set named "arousal" already exists' });
    expect((await f.call('labelSets.list', {})).map((s) => s.name)).toEqual(['ravdess', 'arousal']);
  });
});

describe('labelSets.update and labelSets.delete', () => {
  it('edits a set in use, refusing to drop a class its annotations carry, and the session carries the edit', async () => {
    const set = await f.call('labelSets.create', { name: 'valence', classes: [{ name: 'neg' }, { name: 'pos' }] });
    const session = await f.call('sessions.create', { name: 'valence pass', labelSetId: set.id });
    await f.call('annotations.add', { sessionId: session.id, recordingId: clip.id, startSec: 0, endSec: 1, label: 'neg' });

    const edited = await f.call('labelSets.update', {
      id: set.id,
      name: 'valence 3',
      classes: [{ name: 'neg', colour: '#0000FF', key: 'n' }, { name: 'neutral' }, { name: 'positive', key: 'p' }],
    });
    expect(edited).toEqual({
      ...set,
      name: 'valence 3',
      classes: [
        { name: 'neg', colour: '#0000ff', key: 'n' },
        { name: 'neutral', colour: null, key: null },
        { name: 'positive', colour: null, key: 'p' },
      ],
    });
    expect((await f.call('sessions.list', {})).find((s) => s.id === session.id)?.labelSet).toEqual(edited);
    expect(await failure('labelSets.update', { id: set.id, name: 'valence 3', classes: [{ name: 'negative' }, { name: 'positive' }] })).toEqual({
      code: 'conflict',
      message: '"neg" is used by 1 annotation: relabel or delete them before renaming or removing that class',
    });
    expect(await failure('labelSets.update', { id: set.id, name: 'valence 3', classes: [{ name: 'neg', colour: 'blue' }] })).toMatchObject({ code: 'invalid_input' });
    expect(await failure('labelSets.update', { id: 999, name: 'x', classes: [{ name: 'a' }] })).toEqual({ code: 'not_found', message: 'no label set with id 999' });

    expect(await failure('labelSets.delete', { id: set.id })).toEqual({ code: 'conflict', message: 'label set "valence 3" is used by session "valence pass"' });
    expect((await f.call('labelSets.list', {})).some((s) => s.id === set.id)).toBe(true);
  });

  it('keeps the built-in set fixed and deletes an unused one', async () => {
    const [ravdess] = await f.call('labelSets.list', {});
    expect(ravdess).toMatchObject({ name: 'ravdess', builtIn: true });
    expect(await failure('labelSets.update', { id: ravdess.id, name: 'emotions', classes: ravdess.classes.map((c) => ({ name: c.name })) })).toEqual({
      code: 'conflict',
      message: 'the built-in label set "ravdess" cannot be changed',
    });
    expect(await failure('labelSets.delete', { id: ravdess.id })).toEqual({ code: 'conflict', message: 'the built-in label set "ravdess" cannot be deleted' });

    const spare = await f.call('labelSets.create', { name: 'spare', classes: [{ name: 'a' }] });
    await f.call('labelSets.delete', { id: spare.id });
    expect((await f.call('labelSets.list', {})).map((s) => s.name)).not.toContain('spare');
  });
});
