import { EMOTIONS } from '../../shared/labels.ts';

/** Labels from folder names and CSVs are compared case-insensitively: "Angry" and "angry" are one class. */
export function normaliseLabel(label: string): string {
  return label.trim().toLowerCase();
}

/** The app's emotions first in their usual order, then any other labels alphabetically. */
export function orderLabels(labels: Iterable<string>): string[] {
  const unique = [...new Set(labels)];
  const rank = (label: string) => {
    const i = (EMOTIONS as readonly string[]).indexOf(label);
    return i < 0 ? EMOTIONS.length : i;
  };
  return unique.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
