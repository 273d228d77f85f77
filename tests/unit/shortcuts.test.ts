/**
 * The shortcut table the recording view, the library list and the sheet share: each key reaches the action
 * the sheet says, and no key press or wheel turn means two things in one scope (the handlers take the first
 * match, so a clash would silently hide a row of the sheet).
 */
import { describe, expect, it } from 'vitest';
import { labelDigit, SHORTCUTS, shortcutFor, type ShortcutEvent, type ShortcutScope } from '../../renderer/src/lib/shortcuts.ts';

const NO_MODIFIERS = { ctrlKey: false, metaKey: false, shiftKey: false, altKey: false };
const press = (key: string, modifiers: Partial<ShortcutEvent> = {}): ShortcutEvent => ({ ...NO_MODIFIERS, ...modifiers, key });
const wheel = (modifiers: Partial<ShortcutEvent> = {}): ShortcutEvent => ({ ...NO_MODIFIERS, ...modifiers, deltaY: 100 });

describe('the shortcut table', () => {
  it('maps the documented keys to their actions', () => {
    const cases: [ShortcutEvent, ShortcutScope, string][] = [
      [press(' '), 'recording', 'play'],
      [press('['), 'recording', 'markIn'],
      [press('i'), 'recording', 'markIn'],
      [press('I', { shiftKey: true }), 'recording', 'markIn'],
      [press(']'), 'recording', 'markOut'],
      [press('o'), 'recording', 'markOut'],
      [press('p'), 'recording', 'playSelection'],
      [press('l'), 'recording', 'loopSelection'],
      [press('z'), 'recording', 'zoomSelection'],
      [press('z', { ctrlKey: true }), 'recording', 'undo'],
      [press('z', { metaKey: true }), 'recording', 'undo'],
      [press('c'), 'recording', 'classify'],
      [press('C', { shiftKey: true }), 'recording', 'classifySelection'],
      [press('ArrowLeft'), 'recording', 'skip'],
      [press('ArrowRight', { shiftKey: true }), 'recording', 'skipFar'],
      [press(','), 'recording', 'previousAnnotation'],
      [press('.'), 'recording', 'nextAnnotation'],
      [press('?', { shiftKey: true }), 'recording', 'help'],
      [press('Escape'), 'recording', 'clear'],
      [press('Backspace'), 'recording', 'delete'],
      [press('3'), 'recording', 'label'],
      [wheel({ ctrlKey: true }), 'recording', 'zoomWheel'],
      [wheel(), 'recording', 'scrollWheel'],
      [press('ArrowDown'), 'library-list', 'nextRecording'],
      [press('ArrowUp'), 'library-list', 'previousRecording'],
      [press('4', { altKey: true }), 'app', 'views'],
    ];
    for (const [event, scope, id] of cases) expect(shortcutFor(event, scope)?.id, JSON.stringify(event)).toBe(id);
  });

  it('leaves keys with modifiers it does not list, and digits beyond the palette, alone', () => {
    expect(shortcutFor(press('c', { ctrlKey: true }), 'recording')).toBeNull();
    expect(shortcutFor(press('['), 'library-list')).toBeNull();
    expect(shortcutFor(press('9'), 'recording')).toBeNull();
    expect(shortcutFor(press('3', { altKey: true }), 'recording')).toBeNull();
    expect(labelDigit(press('8'))).toBe(8);
    expect(labelDigit(press('0'))).toBeNull();
  });

  it('gives no key press or wheel turn two meanings in one scope', () => {
    const keys = [' ', 'Escape', 'Delete', 'Backspace', 'Enter', 'ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', '?', ...'[],./abcdefghijklmnopqrstuvwxyz0123456789'];
    const events: ShortcutEvent[] = [];
    for (const ctrlKey of [false, true])
      for (const metaKey of [false, true])
        for (const shiftKey of [false, true])
          for (const altKey of [false, true]) {
            const modifiers = { ctrlKey, metaKey, shiftKey, altKey };
            for (const key of keys) events.push(press(shiftKey && key.length === 1 ? key.toUpperCase() : key, modifiers));
            events.push(wheel(modifiers));
          }
    for (const scope of new Set(SHORTCUTS.map((s) => s.scope)))
      for (const event of events) {
        const matching = SHORTCUTS.filter((s) => s.scope === scope && s.matches(event)).map((s) => s.id);
        expect(matching.length, `${scope} ${JSON.stringify(event)}: ${matching.join(', ')}`).toBeLessThanOrEqual(1);
      }
  });

  it('lists every action once, with its keys', () => {
    expect(new Set(SHORTCUTS.map((s) => s.id)).size).toBe(SHORTCUTS.length);
    for (const shortcut of SHORTCUTS) expect(shortcut.keys.length).toBeGreaterThan(0);
  });
});
