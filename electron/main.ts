// Electron's main process: one window, locked down per Electron's security checklist. App logic lives in
// plain Node modules under electron/; this file only wires them to Electron.
import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppInfo } from './shared/app-info.ts';
import { CONTENT_SECURITY_POLICY, isAppPage, isPermissionAllowed, mainWindowOptions } from './window-options.ts';

// getAppPath() is the project root in development and the asar root when packaged; renderer/ sits under both.
const appPage = join(app.getAppPath(), 'renderer', 'index.html');
const appPageUrl = pathToFileURL(appPage).href;
const preloadPath = join(import.meta.dirname, 'preload.cjs');

function appInfo(): AppInfo {
  return {
    app: `${app.getName()} ${app.getVersion()}`,
    node: process.versions.node,
    electron: process.versions.electron,
    chrome: process.versions.chrome,
  };
}

function requireAppPage(event: IpcMainInvokeEvent): void {
  const url = event.senderFrame?.url ?? '';
  if (!isAppPage(url, appPageUrl)) throw new Error(`IPC refused from ${url || 'a detached frame'}`);
}

function applySessionPolicy(): void {
  const ses = session.defaultSession;
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(isPermissionAllowed(permission, 'mediaTypes' in details ? details.mediaTypes : []));
  });
  ses.setPermissionCheckHandler((_contents, permission, _origin, details) =>
    isPermissionAllowed(permission, details.mediaType ? [details.mediaType] : []),
  );
}

/** The app never leaves its own page: no navigation, no pop-up windows, no <webview>. */
function confine(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(preloadPath));
  window.once('ready-to-show', () => window.show());
  void window.loadFile(appPage);
  return window;
}

app.on('web-contents-created', (_event, contents) => confine(contents));

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Not a top-level await: Electron emits 'ready' only after the ESM entry point has finished evaluating.
void app.whenReady().then(() => {
  applySessionPolicy();
  ipcMain.handle('ser:info', (event): AppInfo => {
    requireAppPage(event);
    return appInfo();
  });
  createMainWindow();
});

app.on('activate', () => {
  if (app.isReady() && BrowserWindow.getAllWindows().length === 0) createMainWindow();
});
