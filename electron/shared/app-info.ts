/** What the renderer learns about the running app through `window.ser.info()` (IPC channel 'ser:info'). */
export interface AppInfo {
  /** Product name and version, e.g. "ser-studio 0.1.0". */
  app: string;
  node: string;
  electron: string;
  chrome: string;
}

/** The API that preload exposes on `window.ser`; every call crosses the context bridge, so all results are plain data. */
export interface SerBridge {
  info(): Promise<AppInfo>;
}
