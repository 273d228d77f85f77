/**
 * The workspace's shared state: the app and model, the library (folders and the filtered recordings), the
 * selection, the open recording and the current labelling session. Components read it and call its actions;
 * every action goes through the API and lists refresh when the main process says the library changed.
 */
import { SvelteSet } from 'svelte/reactivity';
import type { ApiInput, AppInfo, ClassifyResult, ImportResult, LabelSetInfo, LibraryFolder, RecordingSummary, Session } from '../../../electron/api/transport/contract';
import { ApiError, call, onEvent } from './api';
import { isAudioFile } from './format';
import { jobs } from './jobs.svelte';
import { toasts } from './toasts.svelte';

export type RecordingFilter = ApiInput<'recordings.list'>;

const SESSION_KEY = 'ser.sessionId';
/** Coalesces bursts of library.changed (an import adds files one by one). */
const REFRESH_DELAY_MS = 250;

class Workspace {
  info = $state<AppInfo | null>(null);
  folders = $state<LibraryFolder[]>([]);
  recordings = $state<RecordingSummary[]>([]);
  /** Whether the library has any recording at all, whatever the filter: tells "empty" from "nothing matches". */
  libraryEmpty = $state(true);
  loaded = $state(false);
  filter = $state<RecordingFilter>({});
  selected = new SvelteSet<number>();
  /** The recording in the recording view; kept even when the filter hides it from the list. */
  open = $state<RecordingSummary | null>(null);
  sessions = $state<Session[]>([]);
  sessionId = $state<number | null>(null);
  /** Bumped when the library changed, so views holding a recording's data reload it. */
  revision = $state(0);
  /** A time the recording view moves its playhead to once that recording's waveform is ready (set by openAt). */
  seekRequest = $state<{ recordingId: number; seconds: number } | null>(null);

  session = $derived(this.sessions.find((s) => s.id === this.sessionId) ?? null);
  /** The labels annotations can take: the session's set, else the model's classes. */
  labels = $derived(this.session?.labels ?? this.info?.model.labels ?? []);
  /** The session's own colour and key per label (null: the app's colour, the digit by position). */
  labelColours = $derived(this.session?.labelSet.classes.map((c) => c.colour) ?? []);
  labelKeys = $derived(this.session?.labelSet.classes.map((c) => c.key) ?? []);
  /** Where exports go unless the user says otherwise: the first library entry that is a folder, else a file entry's folder. */
  exportFolder = $derived.by(() => {
    const paths = this.folders.map((f) => f.path);
    const folder = paths.find((p) => !isAudioFile(p)) ?? paths[0];
    return folder && isAudioFile(folder) ? folder.replace(/[\\/][^\\/]*$/, '') : folder;
  });

  #refreshTimer: ReturnType<typeof setTimeout> | undefined;

  async start(): Promise<void> {
    onEvent((event) => {
      if (event.type === 'library.changed' || event.type === 'events.resumed') this.#scheduleRefresh();
      if (event.type === 'recording.classified') this.#refreshRow(event.recordingId).catch((error) => toasts.error(error));
      // The active model may have changed: the status bar and the labels follow it.
      if (event.type === 'models.changed' || event.type === 'events.resumed') {
        call('app.info', {})
          .then((info) => (this.info = info))
          .catch((error) => toasts.error(error));
      }
    });
    const [info, sessions] = await Promise.all([call('app.info', {}), call('sessions.list', {})]);
    this.info = info;
    // Every annotation belongs to a session: a first one exists from the start, so labelling never has to wait for one.
    this.sessions = sessions.length > 0 ? sessions : [await call('sessions.create', { name: 'Session 1' })];
    const remembered = Number(localStorage.getItem(SESSION_KEY));
    this.sessionId = this.sessions.find((s) => s.id === remembered)?.id ?? this.sessions.at(-1)?.id ?? null;
    await this.refresh();
    this.loaded = true;
  }

  #scheduleRefresh(): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => {
      this.revision++;
      this.refresh().catch((error) => toasts.error(error));
    }, REFRESH_DELAY_MS);
  }

  async refresh(): Promise<void> {
    const filtered = Object.values(this.filter).some((v) => v !== undefined && v !== '');
    const [folders, recordings, all, sessions] = await Promise.all([
      call('library.folders', {}),
      call('recordings.list', $state.snapshot(this.filter)),
      filtered ? call('recordings.list', {}) : null,
      call('sessions.list', {}),
    ]);
    this.folders = folders;
    this.recordings = recordings;
    this.libraryEmpty = (all ?? recordings).length === 0;
    this.sessions = sessions;
    for (const id of this.selected) if (!recordings.some((r) => r.id === id)) this.selected.delete(id);
    if (this.open) this.open = recordings.find((r) => r.id === this.open?.id) ?? (await this.#fetchRecording(this.open.id));
  }

  /** Replaces one recording's row (and the open recording) with its current summary, leaving the rest of the list as it is. */
  async #refreshRow(id: number): Promise<void> {
    const summary = await this.#fetchRecording(id);
    if (!summary) return;
    this.recordings = this.recordings.map((r) => (r.id === id ? summary : r));
    if (this.open?.id === id) this.open = summary;
  }

  async #fetchRecording(id: number): Promise<RecordingSummary | null> {
    try {
      return await call('recordings.get', { id });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'not_found') return null;
      throw error;
    }
  }

  async openRecording(id: number): Promise<void> {
    this.open = this.recordings.find((r) => r.id === id) ?? (await this.#fetchRecording(id));
  }

  /** Opens a recording with its playhead at a time: where the agreement view's disagreement segments lead. */
  async openAt(id: number, seconds: number): Promise<void> {
    this.seekRequest = { recordingId: id, seconds };
    await this.openRecording(id);
  }

  async setFilter(filter: RecordingFilter): Promise<void> {
    this.filter = filter;
    await this.refresh();
  }

  /** Adds a folder or file to the library and imports it; resolves when the import has finished. */
  async addToLibrary(path: string): Promise<void> {
    const { jobId } = await call('library.add', { path });
    try {
      const result = await jobs.track<ImportResult>(jobId, 'import');
      const parts = [`Added ${result.added} recording${result.added === 1 ? '' : 's'}`];
      if (result.alreadyKnown) parts.push(`${result.alreadyKnown} already in the library`);
      toasts.show(result.added > 0 || result.alreadyKnown > 0 ? 'success' : 'info', parts.join(', ') + '.');
      for (const failure of result.failed.slice(0, 3)) toasts.show('error', `${failure.path}: ${failure.error}`);
      if (result.failed.length > 3) toasts.show('error', `${result.failed.length - 3} more files could not be read.`);
    } catch (error) {
      if (!isCancelled(error)) throw error;
      toasts.show('info', 'Import cancelled.');
    } finally {
      await this.refresh();
    }
  }

  /** Classifies recordings (or one stretch of one) with the active model; resolves when done. */
  async classify(input: ApiInput<'classify.start'>): Promise<void> {
    const { jobId } = await call('classify.start', input);
    try {
      const result = await jobs.track<ClassifyResult>(jobId, 'classify');
      toasts.show('success', `Classified ${result.classified} recording${result.classified === 1 ? '' : 's'}.`);
      for (const failure of result.failed.slice(0, 3)) toasts.show('error', `Recording ${failure.recordingId}: ${failure.error}`);
    } catch (error) {
      if (!isCancelled(error)) throw error;
      toasts.show('info', 'Classification cancelled.');
    } finally {
      this.revision++;
      await this.refresh();
    }
  }

  selectSession(id: number): void {
    this.sessionId = id;
    localStorage.setItem(SESSION_KEY, String(id));
  }

  /** The label sets a new session can take; the default (the eight emotions) first. */
  labelSets(): Promise<LabelSetInfo[]> {
    return call('labelSets.list', {});
  }

  /** Stores an edited set; sessions on it carry the change, so they reload. */
  async updateLabelSet(input: ApiInput<'labelSets.update'>): Promise<LabelSetInfo> {
    const set = await call('labelSets.update', input);
    await this.refresh();
    return set;
  }

  deleteLabelSet(id: number): Promise<void> {
    return call('labelSets.delete', { id });
  }

  async createSession(name: string, annotator?: string, labelSet?: number | ApiInput<'labelSets.create'>): Promise<Session> {
    // A set defined in the dialog is stored first; a refused session leaves it for the next try to pick.
    const labelSetId = typeof labelSet === 'object' ? (await call('labelSets.create', labelSet)).id : labelSet;
    const session = await call('sessions.create', { name, ...(annotator ? { annotator } : {}), ...(labelSetId ? { labelSetId } : {}) });
    this.sessions = [...this.sessions, session];
    this.selectSession(session.id);
    return session;
  }

}

function isCancelled(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'cancelled';
}

export const workspace = new Workspace();
