// Every window the Electron shell opens, read as data: the security
// checklist, the CSP, the page origin and the file handler's confinement.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { APP_ORIGIN, isAppUrl, pageUrl, resolveAppRequest, type AppPage } from './app-protocol.js';
import { CONTENT_SECURITY_POLICY, withCsp } from './content-security-policy.js';
import { navigationAllowed, permissionAllowed, windowOpenAllowed, windowOptions } from './window-options.js';

const PAGES: AppPage[] = ['privacy-centre', 'idle-prompt', 'project-search'];
const electronDir = new URL('../electron/', import.meta.url);

describe('agent windows', () => {
  it.each(PAGES)('%s: sandboxed, isolated, no Node, web security on', (page) => {
    const o = windowOptions(page, '/app/dist/electron/preload.js');
    expect(o.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      devTools: false,
    });
    expect(o.webPreferences.preload).toBe('/app/dist/electron/preload.js');
    expect(o.show).toBe(false);
  });

  it('the Electron files create windows only through windowOptions', () => {
    const files = readdirSync(electronDir).filter((f) => f.endsWith('.ts'));
    const creations = files.flatMap((f) =>
      [...readFileSync(new URL(f, electronDir), 'utf8').matchAll(/new BrowserWindow\(([^)]*)\)?/g)].map((m) => ({
        f,
        arg: m[1] ?? '',
      })),
    );
    expect(creations.length).toBeGreaterThan(0);
    for (const c of creations)
      expect(c.arg.trim().startsWith('windowOptions('), `${c.f}: new BrowserWindow(${c.arg})`).toBe(true);
    // and no file turns a default back off
    for (const f of files)
      expect(readFileSync(new URL(f, electronDir), 'utf8')).not.toMatch(
        /nodeIntegration:\s*true|contextIsolation:\s*false|sandbox:\s*false|webSecurity:\s*false|loadFile\(|file:\/\/|innerHTML/,
      );
  });

  it('never navigates, opens windows or grants permissions', () => {
    for (const url of ['https://example.org', pageUrl('privacy-centre'), 'file:///etc/passwd']) {
      expect(navigationAllowed(url)).toBe(false);
      expect(windowOpenAllowed(url)).toBe(false);
    }
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal'])
      expect(permissionAllowed(p)).toBe(false);
  });
});

describe('content security policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((d) => {
      const [k, ...v] = d.trim().split(/\s+/);
      return [k!, v];
    }),
  );
  it('defaults to none; scripts and styles only from the app, nothing inline or eval’d, no network', () => {
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('style-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'none'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|wasm-unsafe|\*|https?:/);
  });
  it('replaces any CSP a response brought, whatever its case', () => {
    const h = withCsp({ 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html' });
    expect(h).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('app protocol', () => {
  const root = '/opt/sealtime/dist/renderer';
  it('serves pages and modules under the renderer folder', () => {
    expect(pageUrl('idle-prompt')).toBe(`${APP_ORIGIN}/idle-prompt.html`);
    expect(resolveAppRequest(pageUrl('privacy-centre'), root)).toEqual({
      path: join(root, 'privacy-centre.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppRequest(`${APP_ORIGIN}/privacy-view.js?x=1`, root)?.path).toBe(join(root, 'privacy-view.js'));
    expect(resolveAppRequest(`${APP_ORIGIN}/dom.mjs`, root)?.contentType).toMatch(/javascript/);
  });
  it.each([
    `${APP_ORIGIN}/../electron/main.js`,
    `${APP_ORIGIN}/%2e%2e/%2e%2e/keys/x.js`,
    `${APP_ORIGIN}/a/../../../../etc/x.js`,
  ])('keeps %s inside the renderer folder (URL parsing drops the dots)', (url) => {
    const r = resolveAppRequest(url, root);
    expect(r === null || r.path.startsWith(root + '/')).toBe(true);
  });
  it.each([
    `${APP_ORIGIN}/..%2f..%2fkeys/device-keystore.json`,
    `${APP_ORIGIN}/%2e%2e%5c..%5ckeys`,
    `${APP_ORIGIN}/.hidden.js`,
    `${APP_ORIGIN}/x%00.html`,
    `${APP_ORIGIN}/%E0%A4%A.html`,
    `${APP_ORIGIN}/keys.json`,
    `${APP_ORIGIN}/privacy-view.ts`,
    'sealtime-app://other/privacy-centre.html',
    'file:///opt/sealtime/dist/renderer/privacy-centre.html',
    'https://app/privacy-centre.html',
  ])('refuses %s', (url) => {
    expect(resolveAppRequest(url, root)).toBeNull();
  });
  it('trusts only frames of its own origin', () => {
    expect(isAppUrl(pageUrl('privacy-centre'))).toBe(true);
    expect(isAppUrl('sealtime-app://app.evil/x.html')).toBe(false);
    expect(isAppUrl('https://example.org/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});
