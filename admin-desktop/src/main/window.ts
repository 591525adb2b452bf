import { BrowserWindow, session } from 'electron';
import { fileURLToPath } from 'node:url';
import { APP_ORIGIN } from './app-protocol.js';
import { contentSecurityPolicy } from './csp.js';

/** The Vite build of the renderer (npm run build:admin-ui). */
export const RENDERER_DIR = new URL('../../dist/renderer/', import.meta.url);

/** Opens the admin window with every Electron security default on. */
export function openAdminWindow(serverOrigin: string | null): BrowserWindow {
  // The CSP header on every response the default session sees (app:// sets its own).
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy(serverOrigin)] },
    });
  });
  // no camera, microphone, notifications, …: the app asks for nothing
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Sealtime Admin',
    webPreferences: {
      preload: fileURLToPath(new URL('./preload.js', import.meta.url)),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
    },
  });
  // No navigation away from the app and no new windows.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
