/**
 * A label set's own keys beside the digits (issue 15 item 2): which class a key press labels, which keys the
 * New session dialog refuses because a shortcut has them, and what it says is wrong with a draft set.
 */
import { describe, expect, it } from 'vitest';
import { draftInput, draftProblem, emptyDraft, ordinalSteps, type LabelSetDraft } from '../../renderer/src/lib/label-set-draft.ts';
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
  it('becomes labelSets.create input with defaults left out', () => {
    const draft = arousal();
    draft.classes[4] = { name: ' 5 ', colour: '#d03f3f', key: 'q' };
    expect(draftInput(draft)).toEqual({ name: 'arousal', kind: 'ordinal', classes: [{ name: '1' }, { name: '2' }, { name: '3' }, { name: '4' }, { name: '5', colour: '#d03f3f', key: 'q' }] });
  });
});

describe('labelColour with a set of colours', () => {
  it("uses a class's own colour, else the app's", () => {
    expect(labelColour('5', ['4', '5'], [null, '#d03f3f'])).toBe('#d03f3f');
    expect(labelColour('4', ['4', '5'], [null, '#d03f3f'])).toBe(labelColour('4', ['4', '5']));
    expect(labelColour('sad', ['sad'], ['#000000'])).toBe('#000000');
  });
});
