/**
 * The desktop admin app's build (scripts/build-admin-app.ts) produces what
 * admin-desktop/electron-builder.yml packs: a main bundle whose only bare
 * imports are electron, Node builtins and declared npm dependencies, with the
 * security settings and the app:// protocol in it; a CommonJS preload that
 * needs nothing but electron; the renderer's files, every one it refers to
 * present and none loaded from elsewhere. Electron cannot run here, so this
 * checks the files, not a launch.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bareImports, declaredDependencies, undeclaredImports } from './test-support/bundle-imports.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminApp } from './scripts/build-admin-app.js';

const out = mkdtempSync(join(tmpdir(), 'sealtime-admin-app-'));
const declared = declaredDependencies('admin-desktop', 'shared');

beforeAll(async () => {
  await buildAdminApp(out);
}, 180_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('admin desktop app build', () => {
  it('bundles our code, leaves npm dependencies external and declared', () => {
    const main = readFileSync(join(out, 'main', 'main.js'), 'utf8');
    const specs = bareImports(main);
    expect(specs).toContain('electron');
    expect(specs).toContain('rxdb');
    expect(undeclaredImports(specs, declared), 'imported by the bundle but not declared dependencies').toEqual([]);
    expect(specs.some((s) => s.startsWith('@sealtime/'))).toBe(false);
    expect(main).not.toMatch(/from\s*["'][^"']+\.tsx?["']/);
  });

  it('keeps every window security default and serves the renderer over app://', () => {
    const main = readFileSync(join(out, 'main', 'main.js'), 'utf8');
    expect(main).toMatch(/contextIsolation:\s*true/);
    expect(main).toMatch(/sandbox:\s*true/);
    expect(main).toMatch(/nodeIntegration:\s*false/);
    expect(main).toMatch(/enableSandbox\(\)/);
    expect(main).toContain('registerSchemesAsPrivileged');
    expect(main).toContain('app://sealtime');
    expect(main).toContain('/index.html');
    expect(main).toMatch(/protocol\.handle\(/);
    expect(main).toContain("script-src 'self'");
    expect(main).not.toMatch(/unsafe-eval|unsafe-inline/);
  });

  it('emits a CommonJS preload that needs nothing but electron', () => {
    const preload = readFileSync(join(out, 'main', 'preload.js'), 'utf8');
    expect(bareImports(preload)).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*import\s/m);
    expect(preload).toContain('sealtimeApi');
  });

  it('ships the renderer with every file its page refers to, nothing remote, no inline script', () => {
    const html = readFileSync(join(out, 'renderer', 'index.html'), 'utf8');
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) {
      expect(r, `${r} is not a relative file`).toMatch(/^\.\//);
      expect(() => readFileSync(join(out, 'renderer', r))).not.toThrow();
    }
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    // (a spec holding ` is a message template in a library's error text, not an import)
    for (const f of readdirSync(join(out, 'renderer', 'assets')).filter((x) => x.endsWith('.js')))
      expect(
        bareImports(readFileSync(join(out, 'renderer', 'assets', f), 'utf8')).filter((s) => !s.includes('`')),
      ).toEqual([]);
  });

  it('keeps crypto and the replica out of the renderer (keys never leave the core)', () => {
    const js = readdirSync(join(out, 'renderer', 'assets'))
      .filter((x) => x.endsWith('.js'))
      .map((f) => readFileSync(join(out, 'renderer', 'assets', f), 'utf8'))
      .join('\n');
    expect(js).not.toMatch(/libsodium|crypto_sign_detached|crypto_secretstream|createRxDatabase/);
  });

  it('electron-builder packs this output under the admin identity', () => {
    const cfg = parse(readFileSync('admin-desktop/electron-builder.yml', 'utf8')) as {
      extends: string;
      appId: string;
      extraMetadata: { main: string };
    };
    expect(cfg.extends).toBe('../electron-builder.yml');
    expect(cfg.appId).toBe('app.sealtime.admin');
    expect(cfg.extraMetadata.main).toBe('dist/main/main.js');
    const shared = parse(readFileSync('electron-builder.yml', 'utf8')) as {
      files: string[];
      linux: { target: string[] };
      win: { target: string[] };
      mac: { target: string[] };
    };
    expect(shared.files).toContain('dist/**/*');
    expect([...shared.linux.target, ...shared.win.target, ...shared.mac.target]).toEqual([
      'AppImage',
      'deb',
      'nsis',
      'dmg',
    ]);
  });
});
