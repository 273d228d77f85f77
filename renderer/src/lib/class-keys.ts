/**
 * What the hints say labels a stretch: the current label set's keys, not a fixed 1–8, since a set of its own may
 * label with letters. The palette, the shortcut sheet, the label-next panel and the recording view's hints share it.
 */

export interface ClassKey {
  label: string;
  key: string;
}

/**
 * The key each class labels with, as labelIndex reads a press: its own key, else the digit of its place among the
 * first eight unless another class took that digit. Classes with neither are left off.
 */
export function classKeys(labels: readonly string[], keys: readonly (string | null)[]): ClassKey[] {
  return labels
    .map((label, i) => ({ label, key: keys[i] ?? (i < 8 && !keys.includes(String(i + 1)) ? String(i + 1) : null) }))
    .filter((entry): entry is ClassKey => entry.key !== null);
}

/** A run this long or longer of digits counting up reads as a range ("1–8"); shorter ones are listed. */
const RANGE_FROM = 3;

/** The keys to show in a hint, in class order: runs of digits counting up as "1–4", the rest one by one. */
export function keyGroups(entries: readonly ClassKey[]): string[] {
  const groups: string[][] = [];
  for (const { key } of entries) {
    const run = groups.at(-1);
    const last = run?.at(-1);
    if (run && last !== undefined && /^\d$/.test(key) && Number(key) === Number(last) + 1) run.push(key);
    else groups.push([key]);
  }
  return groups.flatMap((run) => (run.length >= RANGE_FROM ? [`${run[0]}–${run.at(-1)}`] : run));
}

/** The keys in one phrase: "1–4, q". */
export const keysHint = (entries: readonly ClassKey[]): string => keyGroups(entries).join(', ');
