// Sandboxed preloads run as CommonJS with only a few built-in modules, so this file is .cts (compiled to
// preload.cjs) and must not require local modules: the channel names (IPC in shared/app-info.ts) and the
// media URL are repeated here by design; only types are imported.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiEvent } from './api/transport/contract.ts';
import type { SerBridge } from './api/transport/bridge.ts';

const bridge: SerBridge = {
  transport: 'electron',
  call: (method, input) => ipcRenderer.invoke('ser:call', method, input),
  onEvent: (listener) => {
    const forward = (_event: IpcRendererEvent, apiEvent: ApiEvent) => listener(apiEvent);
    ipcRenderer.on('ser:event', forward);
    return () => void ipcRenderer.removeListener('ser:event', forward);
  },
  mediaUrl: (recordingId) => `ser-media://recording/${Number(recordingId)}`,
  pickFolder: () => ipcRenderer.invoke('ser:pick-folder'),
  pickFiles: () => ipcRenderer.invoke('ser:pick-files'),
  pickSavePath: (defaultName) => ipcRenderer.invoke('ser:pick-save-path', String(defaultName)),
  reveal: (path) => ipcRenderer.invoke('ser:reveal', String(path)),
  pathForFile: (file) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('ser', bridge);
