/**
 * A label set as the New session dialog defines or edits it, and what stops it from being stored: the store refuses
 * the same things, but the dialog says so before the user submits, and it alone knows the keys its shortcuts take.
 */
import type { ApiInput, LabelSetInfo } from '../../../electron/api/transport/contract.ts';
import { keyTakenBy } from './shortcuts.ts';

export interface DraftClass {
  name: string;
  /** `#rrggbb` once the user picked one; null keeps the app's colour. */
  colour: string | null;
  /** One character, or '' for the digit by position. */
  key: string;
}

export interface LabelSetDraft {
  name: string;
  kind: 'categorical' | 'ordinal';
  classes: DraftClass[];
}

export const emptyDraft = (): LabelSetDraft => ({ name: '', kind: 'categorical', classes: [{ name: '', colour: null, key: '' }, { name: '', colour: null, key: '' }] });

/** A stored set as the editor shows it. */
export const draftOf = (set: LabelSetInfo): LabelSetDraft => ({
  name: set.name,
  kind: set.kind,
  classes: set.classes.map((c) => ({ name: c.name, colour: c.colour, key: c.key ?? '' })),
});

/** The steps 1..n of an ordinal scale (arousal 1-5), keeping colours and keys already given to steps that stay. */
export function ordinalSteps(draft: LabelSetDraft, n: number): LabelSetDraft {
  const classes = Array.from({ length: n }, (_, i) => ({ ...(draft.classes[i] ?? { colour: null, key: '' }), name: String(i + 1) }));
  return { ...draft, kind: 'ordinal', classes };
}

/** The first thing wrong with the draft, in words, or null when it can be stored; `existing`: the other sets' names. */
export function draftProblem(draft: LabelSetDraft, existing: readonly string[]): string | null {
  if (!draft.name.trim()) return 'Name the label set.';
  if (existing.includes(draft.name.trim())) return `A label set named “${draft.name.trim()}” already exists.`;
  const names = draft.classes.map((c) => c.name.trim());
  if (names.length === 0 || names.some((n) => n === '')) return 'Name every class.';
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) return `“${twice}” appears twice.`;
  if (draft.kind === 'ordinal' && names.length < 2) return 'An ordinal scale needs at least two steps.';
  const keys = draft.classes.map((c) => c.key.toLowerCase());
  for (const [i, { key, name }] of draft.classes.entries()) {
    if (!key) continue;
    if ([...key].length !== 1 || !key.trim()) return `The key of “${name}” must be one character.`;
    if (keys.indexOf(key.toLowerCase()) !== i) return `“${names[keys.indexOf(key.toLowerCase())]}” and “${name}” have the same key.`;
    const taken = keyTakenBy(key);
    if (taken) return `${key} is taken: ${taken}.`;
  }
  return null;
}

/** The draft as labelSets.create (and, with the set's id, labelSets.update) takes it: trimmed, defaults left out. */
export function draftInput(draft: LabelSetDraft): ApiInput<'labelSets.create'> {
  return {
    name: draft.name.trim(),
    kind: draft.kind,
    classes: draft.classes.map((c) => ({ name: c.name.trim(), ...(c.colour ? { colour: c.colour } : {}), ...(c.key ? { key: c.key } : {}) })),
  };
}
