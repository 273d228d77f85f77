/**
 * How the library sidebar shows: open or collapsed, the list's sort and folder grouping (both remembered),
 * and the folders whose rows are folded away. The list draws `groups` and its arrow keys walk `visible`.
 */
import { SvelteSet } from 'svelte/reactivity';
import { DEFAULT_ORDER, orderRecordings, SORT_KEYS, type RecordingOrder } from './recording-order';
import { workspace } from './workspace.svelte';

const COLLAPSED_KEY = 'ser.libraryCollapsed';
const ORDER_KEY = 'ser.libraryOrder';

function rememberedOrder(): RecordingOrder {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(ORDER_KEY) ?? 'null');
    if (typeof saved !== 'object' || saved === null) return DEFAULT_ORDER;
    const { key, descending, groupByFolder } = saved as Record<string, unknown>;
    return {
      key: SORT_KEYS.find((k) => k === key) ?? DEFAULT_ORDER.key,
      descending: descending === true,
      groupByFolder: groupByFolder === true,
    };
  } catch {
    return DEFAULT_ORDER;
  }
}

class LibraryLayout {
  collapsed = $state(localStorage.getItem(COLLAPSED_KEY) === 'true');
  order = $state<RecordingOrder>(rememberedOrder());
  /** Folders whose rows are hidden under their heading (grouped only). */
  foldedFolders = new SvelteSet<string>();

  groups = $derived(
    orderRecordings(
      workspace.recordings,
      this.order,
      workspace.folders.map((f) => f.path),
    ),
  );
  /** The rows on screen, top to bottom: what ↑ and ↓ step through. */
  visible = $derived(this.groups.flatMap((g) => (this.foldedFolders.has(g.folder) ? [] : g.recordings)));

  toggleCollapsed(): void {
    this.collapsed = !this.collapsed;
    localStorage.setItem(COLLAPSED_KEY, String(this.collapsed));
  }

  setOrder(change: Partial<RecordingOrder>): void {
    this.order = { ...this.order, ...change };
    localStorage.setItem(ORDER_KEY, JSON.stringify(this.order));
  }

  toggleFolder(folder: string): void {
    if (this.foldedFolders.has(folder)) this.foldedFolders.delete(folder);
    else this.foldedFolders.add(folder);
  }
}

export const libraryLayout = new LibraryLayout();
