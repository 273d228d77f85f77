/**
 * Whether the focused element handles `key` itself, so the workspace's shortcut must leave it alone: text
 * fields, selects, sliders, checkboxes and dialogs own every key; buttons and links own Space and Enter, so
 * a keyboard user can still press them (the Play button toggles playback anyway).
 */
export function focusOwnsKey(target: EventTarget | null, key: string): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('dialog') || target.isContentEditable) return true;
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement) return key === ' ' || key === 'Enter';
  return false;
}
