/**
 * The order the library's list shows: recordings sorted by a column, optionally grouped under their folder.
 * Pure, so the list, its arrow keys and the tests read one order.
 */
import type { RecordingSummary } from '../../../electron/api/transport/contract.ts';

export const SORT_KEYS = ['path', 'name', 'duration', 'label', 'confidence'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const SORT_KEY_NAMES: Record<SortKey, string> = {
  path: 'Folder and name',
  name: 'Name',
  duration: 'Duration',
  label: 'Prediction',
  confidence: 'Confidence',
};

export interface RecordingOrder {
  key: SortKey;
  descending: boolean;
  groupByFolder: boolean;
}

export const DEFAULT_ORDER: RecordingOrder = { key: 'path', descending: false, groupByFolder: false };

/** One folder's rows, or (ungrouped) every row under no heading. */
export interface RecordingGroup {
  /** The folder's full path; '' when ungrouped. */
  folder: string;
  /** The folder as the heading writes it: from its library folder's name down. */
  heading: string;
  recordings: RecordingSummary[];
}

const byText = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true, sensitivity: 'base' });
// The store's own order (SQLite's binary ORDER BY path), so the default order is the one the list always had.
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The value a key sorts on; null (never classified, length unknown) sorts last either way. */
function valueOf(recording: RecordingSummary, key: SortKey): string | number | null {
  switch (key) {
    case 'path':
      return recording.path;
    case 'name':
      return recording.name;
    case 'duration':
      return recording.durationSec;
    case 'label':
      return recording.latest?.label ?? null;
    case 'confidence':
      return recording.latest?.confidence ?? null;
  }
}

export function sortRecordings(recordings: readonly RecordingSummary[], key: SortKey, descending: boolean): RecordingSummary[] {
  const compareValues = key === 'path' ? byCodeUnits : byText;
  return [...recordings].sort((a, b) => {
    const x = valueOf(a, key);
    const y = valueOf(b, key);
    if (x === null || y === null) return x === y ? byCodeUnits(a.path, b.path) : x === null ? 1 : -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : compareValues(String(x), String(y));
    return (descending ? -order : order) || byCodeUnits(a.path, b.path);
  });
}

/** The folder a file is in, with either separator. */
export function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut > 0 ? path.slice(0, cut) : path;
}

/** A folder written from the name of the library folder holding it (the deepest one), else in full. */
export function folderHeading(folder: string, libraryFolders: readonly string[]): string {
  const root = libraryFolders
    .filter((p) => folder === p || folder.startsWith(`${p}/`) || folder.startsWith(`${p}\\`))
    .reduce<string | null>((deepest, p) => (deepest === null || p.length > deepest.length ? p : deepest), null);
  if (root === null) return folder;
  const name = root.slice(Math.max(root.lastIndexOf('/'), root.lastIndexOf('\\')) + 1) || root;
  return (name + folder.slice(root.length)).replaceAll('\\', '/');
}

/** The rows in their order: one group when ungrouped, else one per folder in folder order, each sorted. */
export function orderRecordings(recordings: readonly RecordingSummary[], order: RecordingOrder, libraryFolders: readonly string[]): RecordingGroup[] {
  const sorted = sortRecordings(recordings, order.key, order.descending);
  if (!order.groupByFolder) return [{ folder: '', heading: '', recordings: sorted }];
  const groups = new Map<string, RecordingSummary[]>();
  for (const recording of sorted) {
    const folder = folderOf(recording.path);
    const rows = groups.get(folder);
    if (rows) rows.push(recording);
    else groups.set(folder, [recording]);
  }
  return [...groups.keys()].sort(byCodeUnits).map((folder) => ({ folder, heading: folderHeading(folder, libraryFolders), recordings: groups.get(folder)! }));
}
