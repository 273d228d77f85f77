// Sandboxed preloads run as CommonJS with only a few built-in modules, so this file is .cts (compiled to
// preload.cjs) and must not require local modules: the channel names are repeated here by design.
import { contextBridge, ipcRenderer } from 'electron';
import type { SerBridge } from './shared/app-info.ts';

const bridge: SerBridge = {
  info: () => ipcRenderer.invoke('ser:info'),
};

contextBridge.exposeInMainWorld('ser', bridge);
