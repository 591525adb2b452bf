import { app, ipcMain } from 'electron';
import { IpcChannel } from '../ipc/channels.js';
import { openAdminWindow } from './window.js';

const serverUrl = process.env.SEALTIME_SERVER_URL ?? null;

app.enableSandbox();
void app.whenReady().then(() => {
  ipcMain.handle(IpcChannel.GetServerUrl, () => serverUrl);
  ipcMain.handle(IpcChannel.AppVersion, () => app.getVersion());
  openAdminWindow(serverUrl);
});
app.on('window-all-closed', () => app.quit());
