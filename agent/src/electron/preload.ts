/**
 * The whole API the agent's pages get, as window.sealtimeAgent: six calls,
 * no ipcRenderer, no event objects, no Node. Sandboxed preloads run as
 * classic scripts: tsconfig.preload.json emits this file alone as CommonJS,
 * so it imports nothing but electron (channel names are checked against
 * IpcChannel by type, the values must match to compile).
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { AgentBridge, IpcChannel as Channels } from '../ipc/channels.js';

const C: typeof Channels = {
  Status: 'sealtime-agent:status',
  ChooseKeyring: 'sealtime-agent:choose-keyring',
  LoadRecorded: 'sealtime-agent:load-recorded',
  ExportRecorded: 'sealtime-agent:export-recorded',
  IdlePrompt: 'sealtime-agent:idle-prompt',
  IdleAnswer: 'sealtime-agent:idle-answer',
};

const bridge: AgentBridge = {
  status: () => ipcRenderer.invoke(C.Status),
  chooseKeyring: () => ipcRenderer.invoke(C.ChooseKeyring),
  loadRecorded: (passphrase) => ipcRenderer.invoke(C.LoadRecorded, { passphrase }),
  exportRecorded: () => ipcRenderer.invoke(C.ExportRecorded),
  idlePrompt: () => ipcRenderer.invoke(C.IdlePrompt),
  answerIdle: (promptId, choice) => ipcRenderer.invoke(C.IdleAnswer, { promptId, choice }),
};

contextBridge.exposeInMainWorld('sealtimeAgent', bridge);
