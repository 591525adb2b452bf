import { app, ipcMain } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AdminCore } from '../core/admin-core.js';
import { IpcChannel } from '../ipc/channels.js';
import { hostAdminApi } from './ipc-transport.js';
import { openAdminWindow, RENDERER_DIR } from './window.js';

const serverUrl = process.env.SEALTIME_SERVER_URL ?? null;

app.enableSandbox();
void app.whenReady().then(async () => {
  ipcMain.handle(IpcChannel.GetServerUrl, () => serverUrl);
  ipcMain.handle(IpcChannel.AppVersion, () => app.getVersion());
  // the core (keys, replica) lives in the main process; the window gets the API only
  const core = new AdminCore({ dataDir: app.getPath('userData') });
  await core.start();
  const rendererRoot = pathToFileURL(fileURLToPath(RENDERER_DIR)).href;
  const stop = hostAdminApi(core, (url) => url.startsWith(rendererRoot));
  app.once('will-quit', () => {
    stop();
    void core.close();
  });
  openAdminWindow(serverUrl);
});
app.on('window-all-closed', () => app.quit());
