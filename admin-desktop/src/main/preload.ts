import { contextBridge, ipcRenderer } from 'electron';
import { IpcChannel, type AdminBridge } from '../ipc/channels.js';

// A narrow, typed bridge: the renderer gets these functions and nothing else.
const bridge: AdminBridge = {
  getServerUrl: () => ipcRenderer.invoke(IpcChannel.GetServerUrl) as Promise<string | null>,
  appVersion: () => ipcRenderer.invoke(IpcChannel.AppVersion) as Promise<string>,
};
contextBridge.exposeInMainWorld('sealtime', bridge);
