import { contextBridge, ipcRenderer } from 'electron';
import {
  ApiRequestError,
  type AdminApi,
  type ApiError,
  type RequestName,
  type SubscriptionName,
} from '../api/admin-api.js';
import { checkResult, checkValue, parseServerMessage } from '../api/api-guards.js';
import { IpcChannel, type AdminBridge } from '../ipc/channels.js';

// A narrow, typed bridge: the renderer gets these functions and nothing else.
// (Sandboxed preloads load one file: the packaged app bundles this with its imports.)
const bridge: AdminBridge = {
  getServerUrl: () => ipcRenderer.invoke(IpcChannel.GetServerUrl) as Promise<string | null>,
  appVersion: () => ipcRenderer.invoke(IpcChannel.AppVersion) as Promise<string>,
  printToPdf: () => ipcRenderer.invoke(IpcChannel.PrintToPdf) as Promise<{ savedTo: string | null }>,
};
contextBridge.exposeInMainWorld('sealtime', bridge);

// The admin API over IPC: the same AdminApi the WebSocket client gives, checked the same way.
let nextId = 1;
const pending = new Map<number, { name: RequestName; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
const subs = new Map<
  number,
  { name: SubscriptionName; onValue: (v: unknown) => void; onError?: (e: ApiError) => void }
>();
ipcRenderer.on(IpcChannel.ApiPush, (_event, raw: unknown) => {
  const msg = parseServerMessage(raw);
  if (!msg) return;
  if (msg.t === 'res') {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (!msg.ok) return p.reject(new ApiRequestError(msg.error.code, msg.error.message));
    const c = checkResult(p.name, msg.result);
    return c.ok ? p.resolve(c.value) : p.reject(new ApiRequestError(c.error.code, c.error.message));
  }
  const s = subs.get(msg.id);
  if (!s) return;
  if (msg.t === 'err') return s.onError?.(msg.error);
  const c = checkValue(s.name, msg.value);
  if (c.ok) s.onValue(c.value);
  else s.onError?.(c.error);
});

const api: AdminApi = {
  request(name, params) {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { name, resolve: resolve as (v: unknown) => void, reject });
      ipcRenderer.send(IpcChannel.ApiMessage, { t: 'req', id, name, params });
    });
  },
  subscribe(name, params, onValue, onError) {
    const id = nextId++;
    subs.set(id, { name, onValue: onValue as (v: unknown) => void, ...(onError ? { onError } : {}) });
    ipcRenderer.send(IpcChannel.ApiMessage, { t: 'sub', id, name, params });
    return () => {
      subs.delete(id);
      ipcRenderer.send(IpcChannel.ApiMessage, { t: 'unsub', id });
    };
  },
};
contextBridge.exposeInMainWorld('sealtimeApi', api);
