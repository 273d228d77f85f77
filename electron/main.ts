// Electron's main process: one window, locked down per Electron's security checklist. App logic lives in
// plain Node modules under electron/ (the API service is the same one serve mode runs); this file only
// wires them to Electron.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  screen,
  session,
  shell,
  type IpcMainInvokeEvent,
  type MenuItemConstructorOptions,
  type WebContents,
} from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DATABASE_FILE, PACKAGED_RESOURCES } from './api/services/app/app-paths.ts';
import { createDispatcher, type Dispatch } from './api/transport/dispatch.ts';
import { mediaProtocolResponse } from './api/transport/media-protocol.ts';
import { allowedRoots } from './api/services/library/paths.ts';
import { createApiService, type ApiService } from './api/service.ts';
import { BUNDLED_MODEL, bundledModelDir } from './ml/model-location.ts';
import { audioFilesIn } from './opened-files.ts';
import { IPC, MEDIA_SCHEME } from './shared/app-info.ts';
import { openStore, type StoreDb } from './store/index.ts';
import { loadWindowState, onScreen, saveWindowState } from './window-state.ts';
import { CONTENT_SECURITY_POLICY, isAppPage, isPermissionAllowed, mainWindowOptions } from './window-options.ts';

// getAppPath() is the project root in development and the asar root when packaged; npm run build writes dist/renderer under both.
const appPage = join(app.getAppPath(), 'dist', 'renderer', 'index.html');
const appPageUrl = pathToFileURL(appPage).href;
const preloadPath = join(import.meta.dirname, 'preload.cjs');
const windowStateFile = () => join(app.getPath('userData'), 'window-state.json');
// Packaged, the model sits in resources/ (electron-builder's extraResources) where users can see it.
const modelDir = () => (app.isPackaged ? join(process.resourcesPath, PACKAGED_RESOURCES.models, BUNDLED_MODEL) : bundledModelDir());

// Before 'ready': a standard, secure scheme that streams, so <audio> can seek through ser-media: URLs.
protocol.registerSchemesAsPrivileged([{ scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } }]);

let backend: { db: StoreDb; service: ApiService } | undefined;

// One app at a time: a second launch (e.g. opening a .wav from the file manager) hands its files to this one.
if (!app.requestSingleInstanceLock()) app.exit(0);

/** Files opened before the API is ready wait here. */
const openedBeforeReady: string[] = audioFilesIn(process.argv.slice(1), process.cwd());

/** Adds files the system asked us to open to the library (an import job, with the usual progress and errors). */
function openFiles(paths: readonly string[]): void {
  if (!backend) {
    openedBeforeReady.push(...paths);
    return;
  }
  const { service } = backend;
  for (const path of paths) {
    // The system hands us what the user opened: it may be added wherever it is, as a picker's choice may.
    Promise.resolve()
      .then(() => {
        service.paths.grantAdd(path);
        return service.handlers['library.add']({ path });
      })
      .catch((err: unknown) => dialog.showErrorBox('SER Studio cannot open a file', `${path}: ${err instanceof Error ? err.message : String(err)}`));
  }
}

app.on('second-instance', (_event, argv, cwd) => {
  openFiles(audioFilesIn(argv.slice(1), cwd));
  const [window] = BrowserWindow.getAllWindows();
  if (window) {
    if (window.isMinimized()) window.restore();
    window.focus();
  }
});

app.on('open-file', (event, path) => {
  event.preventDefault();
  openFiles([path]);
});

function requireAppPage(event: IpcMainInvokeEvent): void {
  const url = event.senderFrame?.url ?? '';
  if (!isAppPage(url, appPageUrl)) throw new Error(`IPC refused from ${url || 'a detached frame'}`);
}

/** An IPC handler that answers the app's own page only. */
function handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
  ipcMain.handle(channel, (event, ...args) => {
    requireAppPage(event);
    return listener(event, ...args);
  });
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

function registerApi(dispatch: Dispatch, service: ApiService): void {
  handle(IPC.call, (_event, method, input) => dispatch(String(method), input));
  service.events.subscribe((event) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC.event, event);
  });
  protocol.handle(MEDIA_SCHEME, (request) => mediaProtocolResponse(service.media, request));
  handle(IPC.pickFolder, async (event) => {
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = { title: 'Add a folder of recordings', properties: ['openDirectory' as const] };
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    const folder = result.canceled ? null : (result.filePaths[0] ?? null);
    if (folder) service.paths.grantAdd(folder);
    return folder;
  });
  handle(IPC.pickFiles, async (event) => {
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = {
      title: 'Add recordings',
      properties: ['openFile' as const, 'multiSelections' as const],
      filters: [{ name: 'Audio', extensions: ['wav', 'wave', 'flac', 'mp3', 'ogg', 'oga', 'opus'] }],
    };
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    const files = result.canceled ? [] : result.filePaths;
    for (const file of files) service.paths.grantAdd(file);
    return files;
  });
  handle(IPC.pickSavePath, async (event, defaultName) => {
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = { title: 'Export CSV', defaultPath: String(defaultName), filters: [{ name: 'CSV', extensions: ['csv'] }] };
    const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    if (result.canceled || !result.filePath) return null;
    // The user chose this file in a native dialog: the next export may write it, wherever it is.
    service.paths.grantWrite(result.filePath);
    return result.filePath;
  });
  handle(IPC.reveal, (_event, path) => shell.showItemInFolder(String(path)));
}

function buildMenu(): Menu {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  return Menu.buildFromTemplate(template);
}

function createMainWindow(): BrowserWindow {
  const options = mainWindowOptions(preloadPath);
  const state = onScreen(
    loadWindowState(windowStateFile(), options),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new BrowserWindow({ ...options, width: state.width, height: state.height, x: state.x, y: state.y });
  window.once('ready-to-show', () => {
    if (state.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => {
    const bounds = window.getNormalBounds();
    saveWindowState(windowStateFile(), { ...bounds, maximized: window.isMaximized() });
  });
  void window.loadFile(appPage);
  return window;
}

app.on('web-contents-created', (_event, contents) => confine(contents));

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Closes the store only after running jobs have stopped, so none is cut off mid-transaction.
app.on('will-quit', (event) => {
  const running = backend;
  if (!running) return;
  backend = undefined;
  event.preventDefault();
  void running.service.close().finally(() => {
    running.db.close();
    app.quit();
  });
});

// Not a top-level await: Electron emits 'ready' only after the ESM entry point has finished evaluating.
void app.whenReady().then(async () => {
  applySessionPolicy();
  const db = openStore(join(app.getPath('userData'), DATABASE_FILE));
  const service = await createApiService({
    db,
    modelDir: modelDir(),
    wasmDir: app.isPackaged ? join(process.resourcesPath, PACKAGED_RESOURCES.wasm) : undefined,
    preloadModel: true,
    transport: 'electron',
    // A typed path may come from the user's own folders; a picker's choice may come from anywhere (grantAdd).
    libraryRoots: allowedRoots([app.getPath('home')]),
  });
  backend = { db, service };
  registerApi(createDispatcher(service.handlers), service);
  Menu.setApplicationMenu(buildMenu());
  createMainWindow();
  openFiles(openedBeforeReady.splice(0));
}).catch((err: unknown) => {
  // A damaged database or model folder: say which and why, rather than a window that never appears.
  dialog.showErrorBox('SER Studio cannot start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});

app.on('activate', () => {
  if (app.isReady() && BrowserWindow.getAllWindows().length === 0) createMainWindow();
});
