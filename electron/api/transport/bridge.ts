import type { ApiEvent, ApiInput, ApiMethod, ApiOutput, ApiReply } from './contract.ts';

/**
 * What preload exposes on `window.ser` in the Electron app (serve mode has no bridge: the renderer
 * uses HTTP instead). Every call crosses the context bridge, so all arguments and results are plain data.
 */
export interface SerBridge {
  transport: 'electron';
  /** One API call over IPC channel 'ser:call'; failures come back as { ok: false, error }, never as a rejection. */
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiReply<ApiOutput<M>>>;
  /** Subscribes to API events (IPC channel 'ser:event'); returns the unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** The URL an <audio> element plays a recording from (Electron's ser-media: scheme). */
  mediaUrl(recordingId: number): string;
  /** Native dialogs: a folder or files to add to the library (null / [] when cancelled). */
  pickFolder(): Promise<string | null>;
  pickFiles(): Promise<string[]>;
  /** A native save dialog for a CSV export; the chosen path may then be passed to export.csv. */
  pickSavePath(defaultName: string): Promise<string | null>;
  /** Shows a file in the system's file manager. */
  reveal(path: string): Promise<void>;
  /** The path of a File dropped on the page (Electron no longer exposes File.path to sandboxed pages). */
  pathForFile(file: File): string;
}
