/**
 * The whole API the agent's pages get, as window.sealtimeAgent: eight calls,
 * no ipcRenderer, no event objects, no Node. Sandboxed preloads are classic
 * scripts: tsconfig.preload.json emits this file alone as CommonJS, so it
 * imports nothing but electron. main.ts checks by type that these names equal
 * IpcChannel and that the bridge fits AgentBridge (drift fails tsc).
 */
import { contextBridge, ipcRenderer } from 'electron';

export const preloadChannels = {
  Status: 'sealtime-agent:status',
  ChooseKeyring: 'sealtime-agent:choose-keyring',
  LoadRecorded: 'sealtime-agent:load-recorded',
  ExportRecorded: 'sealtime-agent:export-recorded',
  IdlePrompt: 'sealtime-agent:idle-prompt',
  IdleAnswer: 'sealtime-agent:idle-answer',
  Projects: 'sealtime-agent:projects',
  Track: 'sealtime-agent:track',
} as const;
const C = preloadChannels;

// invoke() resolves to `any` in Electron's types; main.ts pins these to AgentBridge's results
const bridge = {
  status: () => ipcRenderer.invoke(C.Status),
  chooseKeyring: () => ipcRenderer.invoke(C.ChooseKeyring),
  loadRecorded: (passphrase: string) => ipcRenderer.invoke(C.LoadRecorded, { passphrase }),
  exportRecorded: () => ipcRenderer.invoke(C.ExportRecorded),
  idlePrompt: () => ipcRenderer.invoke(C.IdlePrompt),
  answerIdle: (promptId: string, choice: 'keep' | 'discard') => ipcRenderer.invoke(C.IdleAnswer, { promptId, choice }),
  projects: () => ipcRenderer.invoke(C.Projects),
  track: (projectId: string, taskId?: string) =>
    ipcRenderer.invoke(C.Track, taskId === undefined ? { projectId } : { projectId, taskId }),
};
export type PreloadBridge = typeof bridge;

contextBridge.exposeInMainWorld('sealtimeAgent', bridge);
