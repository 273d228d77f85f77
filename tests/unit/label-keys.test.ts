/**
 * A label set's own keys beside the digits (issue 15 item 2): which class a key press labels, which keys the
 * New session dialog refuses because a shortcut has them, what it says is wrong with a draft set, and the keys the
 * hints name for the session's set.
 */
import { describe, expect, it } from 'vitest';
import { classKeys, keysHint } from '../../renderer/src/lib/class-keys.ts';
import { draftInput, draftOf, draftProblem, emptyDraft, ordinalSteps, type LabelSetDraft } from '../../renderer/src/lib/label-set-draft.ts';
import { labelColour } from '../../renderer/src/lib/colors.ts';
import { keyTakenBy, labelIndex, type ShortcutEvent } from '../../renderer/src/lib/shortcuts.ts';

const NO_MODIFIERS = { ctrlKey: false, metaKey: false, shiftKey: false, altKey: false };
const press = (key: string, modifiers: Partial<ShortcutEvent> = {}): ShortcutEvent => ({ ...NO_MODIFIERS, ...modifiers, key });

describe('labelIndex', () => {
  const keys = ['q', null, 'W', '1', null];
  it("takes a class's own key either case, else the digit of a class's place unless a class took that digit", () => {
    expect(labelIndex(press('q'), keys, 5)).toBe(0);
    expect(labelIndex(press('Q', { shiftKey: true }), keys, 5)).toBe(0);
    expect(labelIndex(press('w'), keys, 5)).toBe(2);
    expect(labelIndex(press('1'), keys, 5)).toBe(3);
    expect(labelIndex(press('2'), keys, 5)).toBe(1);
    expect(labelIndex(press('5'), keys, 5)).toBe(4);
  });
  it('leaves other keys, digits beyond the classes and modified presses alone', () => {
    expect(labelIndex(press('6'), keys, 5)).toBeNull();
    expect(labelIndex(press('x'), keys, 5)).toBeNull();
    expect(labelIndex(press('q', { ctrlKey: true }), keys, 5)).toBeNull();
    expect(labelIndex(press('Enter'), keys, 5)).toBeNull();
    expect(labelIndex(press('3'), [], 8)).toBe(2);
  });
});

describe('keyTakenBy', () => {
  it('names the shortcut a key (either case) already has, and frees digits and unused letters', () => {
    expect(keyTakenBy('p')).toBe('Play the selection');
    expect(keyTakenBy('C')).toBe('Classify the recording');
    expect(keyTakenBy('[')).toBe('Set the in point at the playhead');
    expect(keyTakenBy('?')).toBe('Show this list of shortcuts');
    expect(keyTakenBy('q')).toBeNull();
    expect(keyTakenBy('3')).toBeNull();
  });
});

describe('a draft label set', () => {
  const arousal = (): LabelSetDraft => ({ ...ordinalSteps(emptyDraft(), 5), name: 'arousal' });
  it('fills an ordinal 1–N scale, keeping what earlier steps had', () => {
    const first = emptyDraft();
    first.classes[0] = { name: 'low', colour: '#112233', key: 'q' };
    const filled = ordinalSteps(first, 3);
    expect(filled.kind).toBe('ordinal');
    expect(filled.classes).toEqual([
      { name: '1', colour: '#112233', key: 'q' },
      { name: '2', colour: null, key: '' },
      { name: '3', colour: null, key: '' },
    ]);
  });
  it('says what stops it from being created', () => {
    expect(draftProblem(arousal(), [])).toBeNull();
    expect(draftProblem({ ...arousal(), name: ' ' }, [])).toBe('Name the label set.');
    expect(draftProblem(arousal(), ['arousal'])).toBe('A label set named “arousal” already exists.');
    const withKeys = (...keys: string[]) => ({ ...arousal(), classes: arousal().classes.map((c, i) => ({ ...c, key: keys[i] ?? '' })) });
    expect(draftProblem(withKeys('a', 'A'), [])).toBe('“1” and “2” have the same key.');
    expect(draftProblem(withKeys('z'), [])).toBe('z is taken: Zoom to the selection (again to fit the recording).');
    expect(draftProblem({ ...arousal(), classes: [{ name: '1', colour: null, key: '' }] }, [])).toBe('An ordinal scale needs at least two steps.');
    expect(draftProblem({ ...emptyDraft(), name: 'x' }, [])).toBe('Name every class.');
    expect(draftProblem({ name: 'x', kind: 'categorical', classes: [{ name: 'a', colour: null, key: '' }, { name: 'a ', colour: null, key: '' }] }, [])).toBe('“a” appears twice.');
  });
  it('opens a stored set for editing, and saves it back as it was', () => {
    const stored = { id: 3, name: 'valence', kind: 'categorical' as const, builtIn: false, createdAt: 't', classes: [{ name: 'neg', colour: '#0000ff', key: 'n' }, { name: 'pos', colour: null, key: null }] };
    const draft = draftOf(stored);
    expect(draft).toEqual({ name: 'valence', kind: 'categorical', classes: [{ name: 'neg', colour: '#0000ff', key: 'n' }, { name: 'pos', colour: null, key: '' }] });
    expect(draftInput(draft)).toEqual({ name: 'valence', kind: 'categorical', classes: [{ name: 'neg', colour: '#0000ff', key: 'n' }, { name: 'pos' }] });
  });
  it('becomes labelSets.create input with defaults left out', () => {
    const draft = arousal();
    draft.classes[4] = { name: ' 5 ', colour: '#d03f3f', key: 'q' };
    expect(draftInput(draft)).toEqual({ name: 'arousal', kind: 'ordinal', classes: [{ name: '1' }, { name: '2' }, { name: '3' }, { name: '4' }, { name: '5', colour: '#d03f3f', key: 'q' }] });
  });
});

describe('the keys a hint names', () => {
  const hint = (labels: string[], keys: (string | null)[] = []) => keysHint(classKeys(labels, keys));
  it('reads the digits of the default set as a range, up to eight classes', () => {
    expect(hint(['neutral', 'calm', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'])).toBe('1–8');
    expect(hint(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'])).toBe('1–8');
    expect(hint(['low', 'high'])).toBe('1, 2');
  });
  it("names a set's own keys, in class order, and leaves off a digit another class took", () => {
    expect(hint(['1', '2', '3', '4', '5'], [null, null, null, null, 'q'])).toBe('1–4, q');
    expect(hint(['neg', 'neutral', 'pos'], ['a', 's', 'd'])).toBe('a, s, d');
    // "pos" took 1, so "neg" has no key: labelIndex gives 1 to "pos".
    expect(classKeys(['neg', 'neutral', 'pos'], [null, null, '1'])).toEqual([
      { label: 'neutral', key: '2' },
      { label: 'pos', key: '1' },
    ]);
    expect(labelIndex(press('1'), [null, null, '1'], 3)).toBe(2);
    expect(hint(['a', 'b', 'c', 'd'], [null, null, null, 'x'])).toBe('1–3, x');
  });
});

describe('labelColour with a set of colours', () => {
  it("uses a class's own colour, else the app's", () => {
    expect(labelColour('5', ['4', '5'], [null, '#d03f3f'])).toBe('#d03f3f');
    expect(labelColour('4', ['4', '5'], [null, '#d03f3f'])).toBe(labelColour('4', ['4', '5']));
    expect(labelColour('sad', ['sad'], ['#000000'])).toBe('#000000');
  });
});
