/**
 * Annotating one recording in one session: the saved annotations, the unsaved stretch the user dragged out
 * (the "draft"), which annotation is selected, and an undo stack. Every change is saved through the API at
 * once; undo replays the inverse call (delete for an add, annotations.restore for a delete, the old values
 * for an update). Changes run one after another: keys come faster than the API answers, and an undo pressed
 * while a delete is saving must revert that delete, not the change before it.
 */
import type { Annotation } from '../../../electron/api/transport/contract';
import { call } from './api';

export interface Stretch {
  startSec: number;
  endSec: number;
}

type Edit = Pick<Annotation, 'startSec' | 'endSec' | 'label' | 'intensity' | 'note'>;

type UndoStep =
  | { kind: 'add'; annotation: Annotation }
  | { kind: 'delete'; annotation: Annotation }
  | { kind: 'update'; before: Annotation };

/** Drags shorter than this are clicks, not stretches. */
const MIN_STRETCH_SEC = 0.05;

export class Annotator {
  annotations = $state<Annotation[]>([]);
  draft = $state<Stretch | null>(null);
  selectedId = $state<number | null>(null);
  #undo = $state.raw<UndoStep[]>([]);
  /** The latest change, settled or not: the next one starts after it. */
  #pending: Promise<unknown> = Promise.resolve();

  selected = $derived(this.annotations.find((a) => a.id === this.selectedId) ?? null);
  /** The stretch a "classify selection" applies to: the draft, else the selected annotation. */
  stretch = $derived<Stretch | null>(this.draft ?? this.selected);

  constructor(
    readonly recordingId: number,
    readonly sessionId: number | null,
  ) {}

  /** The session's tier shown and annotated; null until one is chosen: every tier shown, new ones on the default tier. */
  tierId = $state<number | null>(null);
  /** The tier filter of a list and the tier of an add: none until a tier is chosen. */
  get #onTier(): { tierId?: number } {
    return this.tierId === null ? {} : { tierId: this.tierId };
  }

  async load(): Promise<void> {
    if (this.sessionId === null) return;
    const list = await call('annotations.list', { sessionId: this.sessionId, recordingId: this.recordingId, ...this.#onTier });
    this.annotations = sortByStart(list);
  }

  /** Shows another tier. The undo stack goes: its steps would put another tier's annotations into this list. */
  showTier(tierId: number): Promise<void> {
    return this.#serial(async () => {
      this.tierId = tierId;
      this.select(null);
      this.setDraft(null);
      this.#undo = [];
      await this.load();
    });
  }

  /** The keyboard's in and out points. A drawn draft sets both, so `[` or `]` then adjusts one end of it. */
  inSec = $state<number | null>(null);
  outSec = $state<number | null>(null);

  setDraft(stretch: Stretch | null): void {
    this.draft = stretch && stretch.endSec - stretch.startSec >= MIN_STRETCH_SEC ? stretch : null;
    this.inSec = this.draft?.startSec ?? null;
    this.outSec = this.draft?.endSec ?? null;
    if (this.draft) this.selectedId = null;
  }

  /**
   * Sets the in point; an out point at or before it is dropped. In and out together become the draft.
   * After the changes before it, like every key's action: a label still saving clears the draft when it lands.
   */
  markIn(seconds: number): Promise<void> {
    return this.#serial(async () => this.#mark(seconds, this.outSec !== null && this.outSec > seconds ? this.outSec : null));
  }

  /** Sets the out point; an in point at or after it is dropped. */
  markOut(seconds: number): Promise<void> {
    return this.#serial(async () => this.#mark(this.inSec !== null && this.inSec < seconds ? this.inSec : null, seconds));
  }

  #mark(inSec: number | null, outSec: number | null): void {
    // Marking starts a new stretch: a digit must label it, not the annotation that happened to be selected.
    this.selectedId = null;
    this.setDraft(inSec !== null && outSec !== null ? { startSec: inSec, endSec: outSec } : null);
    this.inSec = inSec;
    this.outSec = outSec;
  }

  /**
   * Selects the annotation starting after (`direction` 1) or before (-1) the selected one, or the playhead
   * when none is selected; resolves to it, or null at either end. It waits for changes still saving, so a
   * jump pressed right after a digit starts from the annotation that digit made.
   */
  selectNeighbour(direction: 1 | -1, playheadSec: number): Promise<Annotation | null> {
    return this.#serial(async () => {
      const from = this.selected?.startSec ?? playheadSec;
      // Starts within a millisecond of `from` count as at it, so a jump lands on the playhead's own annotation only once.
      const candidates = this.annotations.filter((a) => (direction === 1 ? a.startSec > from + 1e-3 : a.startSec < from - 1e-3));
      const neighbour = direction === 1 ? candidates[0] : candidates.at(-1);
      if (!neighbour) return null;
      this.select(neighbour.id);
      return neighbour;
    });
  }

  select(id: number | null): void {
    this.selectedId = id;
    if (id !== null) this.setDraft(null);
  }

  /** Labels the draft (saving it as a new annotation) or relabels the selected annotation; false when neither exists. */
  applyLabel(label: string): Promise<boolean> {
    return this.#serial(async () => {
      if (this.draft) {
        if (this.sessionId === null) throw new Error('Choose a labelling session before annotating.');
        const annotation = await call('annotations.add', { sessionId: this.sessionId, recordingId: this.recordingId, ...this.#onTier, ...this.draft, label });
        this.#put(annotation);
        this.#record({ kind: 'add', annotation });
        this.setDraft(null);
        this.selectedId = annotation.id;
        return true;
      }
      if (this.selected) {
        await this.#update(this.selected.id, { label });
        return true;
      }
      return false;
    });
  }

  update(id: number, edit: Partial<Edit>): Promise<void> {
    return this.#serial(() => this.#update(id, edit));
  }

  async #update(id: number, edit: Partial<Edit>): Promise<void> {
    const before = this.annotations.find((a) => a.id === id);
    if (!before) return;
    const after = await call('annotations.update', { id, ...edit });
    this.#record({ kind: 'update', before: $state.snapshot(before) });
    this.#put(after);
  }

  /** Deletes the selected annotation, or drops the draft; false when there was nothing to delete. */
  deleteSelected(): Promise<boolean> {
    return this.#serial(async () => {
      if (this.draft) {
        this.setDraft(null);
        return true;
      }
      if (this.selectedId === null) return false;
      const deleted = await call('annotations.delete', { id: this.selectedId });
      this.annotations = this.annotations.filter((a) => a.id !== deleted.id);
      this.selectedId = null;
      this.#record({ kind: 'delete', annotation: deleted });
      return true;
    });
  }

  canUndo = $derived(this.#undo.length > 0);

  #record(step: UndoStep): void {
    this.#undo = [...this.#undo, step];
  }

  /** Reverts the latest change; false when there is nothing to undo. */
  undo(): Promise<boolean> {
    return this.#serial(async () => {
      const step = this.#undo.at(-1);
      if (!step) return false;
      this.#undo = this.#undo.slice(0, -1);
      try {
        if (step.kind === 'add') {
          await call('annotations.delete', { id: step.annotation.id });
          this.annotations = this.annotations.filter((a) => a.id !== step.annotation.id);
          if (this.selectedId === step.annotation.id) this.selectedId = null;
        } else if (step.kind === 'delete') {
          const { id, sessionId, recordingId, tierId, startSec, endSec, label, intensity, note, createdAt, updatedAt } = step.annotation;
          this.#put(await call('annotations.restore', { id, sessionId, recordingId, tierId, startSec, endSec, label, intensity, note, createdAt, updatedAt }));
          this.selectedId = id;
        } else {
          const { id, startSec, endSec, label, intensity, note } = step.before;
          this.#put(await call('annotations.update', { id, startSec, endSec, label, intensity, note }));
        }
      } catch (error) {
        this.#record(step);
        throw error;
      }
      return true;
    });
  }

  #serial<T>(change: () => Promise<T>): Promise<T> {
    const run = this.#pending.then(change);
    this.#pending = run.catch(() => undefined);
    return run;
  }

  #put(annotation: Annotation): void {
    this.annotations = sortByStart([...this.annotations.filter((a) => a.id !== annotation.id), annotation]);
  }
}

function sortByStart(list: Annotation[]): Annotation[] {
  return list.sort((a, b) => a.startSec - b.startSec || a.id - b.id);
}
