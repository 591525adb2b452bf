import { BrowserWindow, session } from 'electron';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy } from './csp.js';

/** The Vite build of the renderer (npm run build:admin-ui). */
export const RENDERER_DIR = new URL('../../dist/renderer/', import.meta.url);

/** Opens the admin window with every Electron security default on. */
export function openAdminWindow(serverOrigin: string | null): BrowserWindow {
  // The CSP header applies to every response the renderer loads.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy(serverOrigin)] },
    });
  });
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
  void win.loadFile(fileURLToPath(new URL('index.html', RENDERER_DIR)));
  return win;
}
