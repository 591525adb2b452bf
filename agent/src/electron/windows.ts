/**
 * The agent's windows (privacy centre, idle prompt) and the session rules
 * they share: pages come only from sealtime-app://app (app-protocol.ts),
 * every response carries the strict CSP, no navigation, no new windows, no
 * permissions. Options come from tray/window-options.ts, where tests read them.
 */
import { BrowserWindow, net, protocol, session, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';
import { APP_SCHEME, isAppUrl, pageUrl, resolveAppRequest, type AppPage } from '../tray/app-protocol.js';
import { CONTENT_SECURITY_POLICY, withCsp } from '../tray/content-security-policy.js';
import { navigationAllowed, permissionAllowed, windowOpenAllowed, windowOptions } from '../tray/window-options.js';

/** Before app ready: the scheme is standard and secure, so 'self' in the CSP is our origin. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true } }]);
}

/** After app ready: serve the renderer folder, apply CSP and deny-by-default rules to the session. */
export function secureSession(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = request.method === 'GET' ? resolveAppRequest(request.url, rendererRoot) : null;
    if (!file) return new Response('not found', { status: 404, headers: { 'content-type': 'text/plain' } });
    const res = await net.fetch(pathToFileURL(file.path).toString());
    return new Response(res.body, {
      status: res.status,
      headers: {
        'content-type': file.contentType,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    });
  });
  const s = session.defaultSession;
  s.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: withCsp(details.responseHeaders) }),
  );
  s.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionAllowed(permission)));
  s.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission));
}

/** Applied to every web contents the app creates, windows or not. */
export function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => ({ action: windowOpenAllowed(url) ? 'allow' : 'deny' }));
}

const open = new Map<AppPage, BrowserWindow>();

/** Opens a page, or brings it to the front if it is open. */
export function showPage(page: AppPage, preload: string): BrowserWindow {
  const existing = open.get(page);
  if (existing && !existing.isDestroyed()) {
    existing.show();
    existing.focus();
    return existing;
  }
  const win = new BrowserWindow(windowOptions(page, preload, !process.env.SEALTIME_DEVTOOLS ? false : true));
  open.set(page, win);
  win.on('closed', () => open.delete(page));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(pageUrl(page));
  return win;
}

export function closePage(page: AppPage): void {
  const win = open.get(page);
  if (win && !win.isDestroyed()) win.close();
}

export function reloadPage(page: AppPage): void {
  const win = open.get(page);
  if (win && !win.isDestroyed()) win.webContents.reload();
}

/** IPC is answered only for our own pages' top frames. */
export function trustedSender(frameUrl: string | undefined): boolean {
  return frameUrl !== undefined && isAppUrl(frameUrl);
}
