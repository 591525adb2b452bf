import { app, ipcMain, powerMonitor } from 'electron';
import { fileURLToPath } from 'node:url';
import { AdminCore } from '../core/admin-core.js';
import { IpcChannel } from '../ipc/channels.js';
import { installAppMenu } from './app-menu.js';
import { APP_ORIGIN, registerAppScheme, serveAppProtocol } from './app-protocol.js';
import { hostAdminApi } from './ipc-transport.js';
import { handlePrintToPdf } from './print-pdf.js';
import { safeStorageUnlockCache } from './safe-storage-unlock-cache.js';
import { openAdminWindow, RENDERER_DIR } from './window.js';

const serverUrl = process.env.SEALTIME_SERVER_URL ?? null;

app.enableSandbox();
registerAppScheme();
void app.whenReady().then(async () => {
  ipcMain.handle(IpcChannel.GetServerUrl, () => serverUrl);
  ipcMain.handle(IpcChannel.AppVersion, () => app.getVersion());
  // the core (keys, replica) lives in the main process; the window gets the API only
  const dataDir = app.getPath('userData');
  // off unless IT sets SEALTIME_ADMIN_UNLOCK_CACHE_HOURS: then a restart within that time reopens the keys
  const unlockCache = safeStorageUnlockCache(dataDir);
  const core = new AdminCore({ dataDir, ...(unlockCache ? { unlockCache } : {}) });
  await core.start();
  const isAppUrl = (url: string) => url.startsWith(`${APP_ORIGIN}/`);
  serveAppProtocol({
    rendererDir: fileURLToPath(RENDERER_DIR),
    serverOrigin: serverUrl,
    takeImage: (t) => core.takeImage(t),
    takeThumbs: (t) => core.takeThumbs(t),
  });
  const stop = hostAdminApi(core, isAppUrl);
  handlePrintToPdf(isAppUrl);
  const lock = () => void core.lock().catch(() => undefined);
  installAppMenu(lock);
  // the screen locks or the machine sleeps: so do the keys (the renderer also locks after inactivity)
  powerMonitor.on('lock-screen', lock);
  powerMonitor.on('suspend', lock);
  app.once('will-quit', () => {
    stop();
    void core.close();
  });
  openAdminWindow(serverUrl);
});
app.on('window-all-closed', () => app.quit());
