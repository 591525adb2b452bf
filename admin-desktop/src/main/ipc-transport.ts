/**
 * The Electron transport of the admin API: one dispatcher per window's
 * renderer, fed by the preload's messages and answering on ApiPush. Only
 * frames loaded from the app's own files may talk to the core.
 */
import { ipcMain, type WebContents } from 'electron';
import { createDispatcher, type AdminCorePort, type Dispatcher } from '../api/dispatcher.js';
import { IpcChannel } from '../ipc/channels.js';

export function hostAdminApi(core: AdminCorePort, isAppUrl: (url: string) => boolean): () => void {
  const byRenderer = new Map<number, Dispatcher>();
  const dispatcherFor = (sender: WebContents): Dispatcher => {
    let d = byRenderer.get(sender.id);
    if (!d) {
      d = createDispatcher(core, (msg) => {
        if (!sender.isDestroyed()) sender.send(IpcChannel.ApiPush, msg);
      });
      byRenderer.set(sender.id, d);
      sender.once('destroyed', () => {
        byRenderer.get(sender.id)?.close();
        byRenderer.delete(sender.id);
      });
    }
    return d;
  };
  const onMessage = (event: Electron.IpcMainEvent, msg: unknown) => {
    // a frame navigated elsewhere (or injected) gets nothing
    if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) return;
    dispatcherFor(event.sender).receive(msg);
  };
  ipcMain.on(IpcChannel.ApiMessage, onMessage);
  return () => {
    ipcMain.off(IpcChannel.ApiMessage, onMessage);
    for (const d of byRenderer.values()) d.close();
    byRenderer.clear();
  };
}
