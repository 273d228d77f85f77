/**
 * Every shortcut of the workspace in one table: the handlers look an event up here and the shortcut sheet (`?`)
 * lists the same rows, so the sheet cannot drift from what the keys do.
 */

export type ShortcutId =
  | 'play'
  | 'markIn'
  | 'markOut'
  | 'playSelection'
  | 'loopSelection'
  | 'label'
  | 'delete'
  | 'undo'
  | 'clear'
  | 'classify'
  | 'classifySelection'
  | 'skip'
  | 'skipFar'
  | 'previousAnnotation'
  | 'nextAnnotation'
  | 'acceptSuggestion'
  | 'skipSuggestion'
  | 'zoomSelection'
  | 'zoomWheel'
  | 'scrollWheel'
  | 'previousRecording'
  | 'nextRecording'
  | 'toggleLibrary'
  | 'views'
  | 'help';

/** Where a shortcut acts: anywhere in the app, in the library view, in the open recording, or only while the focus is in the library's list. */
export type ShortcutScope = 'app' | 'library' | 'recording' | 'library-list';

/** What a shortcut can be matched against: a key press or a turn of the wheel, with its modifiers. */
export type ShortcutEvent = Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'> & { key?: string; deltaY?: number };

export interface Shortcut {
  id: ShortcutId;
  scope: ShortcutScope;
  group: 'Playback' | 'Selection and labels' | 'View' | 'Library' | 'App';
  /** How the sheet writes the keys; alternatives are separate entries. */
  keys: readonly string[];
  action: string;
  matches: (event: ShortcutEvent) => boolean;
}

const command = (e: ShortcutEvent) => e.ctrlKey || e.metaKey;
const plain = (e: ShortcutEvent) => !command(e) && !e.altKey;
const isWheel = (e: ShortcutEvent) => e.deltaY !== undefined;
/** A plain key, letters either case (Caps Lock or Shift must not turn I into nothing). */
const key =
  (...names: string[]) =>
  (e: ShortcutEvent) =>
    plain(e) && !isWheel(e) && e.key !== undefined && names.includes(e.key.length === 1 ? e.key.toLowerCase() : e.key);

/** The digit 1-8 of a key press, or null: the label palette's keys. */
export function labelDigit(e: ShortcutEvent): number | null {
  const digit = plain(e) && e.key !== undefined ? Number(e.key) : NaN;
  return Number.isInteger(digit) && digit >= 1 && digit <= 8 ? digit : null;
}

/**
 * The class of a label set a key press labels with, by index: a class's own key (letters either case), else the
 * digit 1-8 of its position unless another class took that digit as its key. Null for any other key.
 */
export function labelIndex(e: ShortcutEvent, keys: readonly (string | null)[], count: number): number | null {
  if (!plain(e) || isWheel(e) || e.key === undefined || e.key.length !== 1) return null;
  const pressed = e.key.toLowerCase();
  const own = keys.findIndex((k) => k !== null && k.toLowerCase() === pressed);
  if (own >= 0 && own < count) return own;
  const digit = labelDigit(e);
  return digit !== null && digit <= count ? digit - 1 : null;
}

/** Why a class cannot take `key` (a shortcut of the recording view has it), or null when it is free. */
export function keyTakenBy(key: string): string | null {
  // Either case: labelIndex takes a letter either case, so neither may mean something else.
  const press = (k: string, shiftKey: boolean) => shortcutFor({ key: k, ctrlKey: false, metaKey: false, shiftKey, altKey: false }, 'recording');
  const taken = [press(key.toLowerCase(), false), press(key.toUpperCase(), true), press(key, key !== key.toLowerCase())].find((s) => s && s.id !== 'label');
  return taken?.action ?? null;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { id: 'play', scope: 'recording', group: 'Playback', keys: ['Space'], action: 'Play or pause', matches: key(' ') },
  { id: 'skip', scope: 'recording', group: 'Playback', keys: ['←', '→'], action: 'Move the playhead 1 s', matches: (e) => key('ArrowLeft', 'ArrowRight')(e) && !e.shiftKey },
  { id: 'skipFar', scope: 'recording', group: 'Playback', keys: ['Shift+←', 'Shift+→'], action: 'Move the playhead 5 s', matches: (e) => key('ArrowLeft', 'ArrowRight')(e) && e.shiftKey },
  { id: 'playSelection', scope: 'recording', group: 'Playback', keys: ['P'], action: 'Play the selection', matches: key('p') },
  { id: 'loopSelection', scope: 'recording', group: 'Playback', keys: ['L'], action: 'Loop the selection (again to stop)', matches: key('l') },
  { id: 'markIn', scope: 'recording', group: 'Selection and labels', keys: ['[', 'I'], action: 'Set the in point at the playhead', matches: key('[', 'i') },
  { id: 'markOut', scope: 'recording', group: 'Selection and labels', keys: [']', 'O'], action: 'Set the out point at the playhead', matches: key(']', 'o') },
  { id: 'label', scope: 'recording', group: 'Selection and labels', keys: ['1–8'], action: 'Label the selection, the in–out stretch or the selected annotation (so does a class’s own key, shown on its label button)', matches: (e) => !isWheel(e) && labelDigit(e) !== null },
  { id: 'previousAnnotation', scope: 'recording', group: 'Selection and labels', keys: [','], action: 'Select the previous annotation', matches: key(',') },
  { id: 'nextAnnotation', scope: 'recording', group: 'Selection and labels', keys: ['.'], action: 'Select the next annotation', matches: key('.') },
  { id: 'delete', scope: 'recording', group: 'Selection and labels', keys: ['Delete', 'Backspace'], action: 'Delete the selected annotation or drop the selection', matches: key('Delete', 'Backspace') },
  { id: 'undo', scope: 'recording', group: 'Selection and labels', keys: ['Ctrl+Z', '⌘Z'], action: 'Undo the last change', matches: (e) => command(e) && !e.shiftKey && !e.altKey && e.key?.toLowerCase() === 'z' },
  { id: 'clear', scope: 'recording', group: 'Selection and labels', keys: ['Escape'], action: 'Clear the selection and the in and out points', matches: key('Escape') },
  { id: 'classify', scope: 'recording', group: 'Selection and labels', keys: ['C'], action: 'Classify the recording', matches: (e) => key('c')(e) && !e.shiftKey },
  { id: 'classifySelection', scope: 'recording', group: 'Selection and labels', keys: ['Shift+C'], action: 'Classify the selection', matches: (e) => key('c')(e) && e.shiftKey },
  { id: 'acceptSuggestion', scope: 'recording', group: 'Selection and labels', keys: ['Enter'], action: 'Label next: accept the model’s suggestion (a label’s key corrects it)', matches: key('Enter') },
  { id: 'skipSuggestion', scope: 'recording', group: 'Selection and labels', keys: ['N'], action: 'Label next: leave this stretch for later', matches: key('n') },
  { id: 'zoomSelection', scope: 'recording', group: 'View', keys: ['Z'], action: 'Zoom to the selection (again to fit the recording)', matches: key('z') },
  { id: 'zoomWheel', scope: 'recording', group: 'View', keys: ['Ctrl+wheel', '⌘+wheel'], action: 'Zoom in or out', matches: (e) => isWheel(e) && command(e) },
  { id: 'scrollWheel', scope: 'recording', group: 'View', keys: ['Wheel'], action: 'Scroll along time when zoomed in', matches: (e) => isWheel(e) && plain(e) },
  { id: 'help', scope: 'recording', group: 'View', keys: ['?'], action: 'Show this list of shortcuts', matches: (e) => !command(e) && !e.altKey && e.key === '?' },
  { id: 'previousRecording', scope: 'library-list', group: 'Library', keys: ['↑'], action: 'Open the previous recording in the list', matches: key('ArrowUp') },
  { id: 'nextRecording', scope: 'library-list', group: 'Library', keys: ['↓'], action: 'Open the next recording in the list', matches: key('ArrowDown') },
  { id: 'toggleLibrary', scope: 'library', group: 'Library', keys: ['B'], action: 'Hide or show the library sidebar', matches: key('b') },
  { id: 'views', scope: 'app', group: 'App', keys: ['Alt+1…7'], action: 'Show a view (Library, Data sets, … Agreement)', matches: (e) => e.altKey && !command(e) && /^[1-7]$/.test(e.key ?? '') },
];

/** The first shortcut of `scope` that `event` triggers, or null. */
export function shortcutFor(event: ShortcutEvent, scope: ShortcutScope): Shortcut | null {
  return SHORTCUTS.find((s) => s.scope === scope && s.matches(event)) ?? null;
}
