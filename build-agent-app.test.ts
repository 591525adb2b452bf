/**
 * The tray app's build (scripts/build-agent-app.ts) produces what
 * agent/electron-builder.yml packs: a main bundle whose only bare imports are
 * electron, Node builtins and declared npm dependencies (native addons must
 * come from node_modules, never be inlined), a CommonJS preload that needs
 * nothing but electron, and self-contained pages. Electron itself cannot run
 * here, so this checks the files, not a launch.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bareImports, declaredDependencies, undeclaredImports } from './test-support/bundle-imports.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentApp } from './scripts/build-agent-app.js';
import { META_CONTENT_SECURITY_POLICY } from '@sealtime/agent/testing';

const out = mkdtempSync(join(tmpdir(), 'sealtime-agent-app-'));
const declared = declaredDependencies('agent', 'shared');

beforeAll(async () => {
  await buildAgentApp(out);
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('tray app build', () => {
  it('bundles our own code and leaves npm dependencies external and declared', () => {
    const main = readFileSync(join(out, 'electron', 'main.js'), 'utf8');
    const specs = bareImports(main);
    expect(specs).toContain('electron');
    expect(specs).toContain('classic-level');
    expect(undeclaredImports(specs, declared), 'imported by the bundle but not declared dependencies').toEqual([]);
    expect(specs.some((s) => s.startsWith('@sealtime/'))).toBe(false);
    expect(main).not.toMatch(/from\s*["'][^"']+\.ts["']/);
  });

  it('emits a CommonJS preload that needs nothing but electron', () => {
    const preload = readFileSync(join(out, 'preload', 'preload.js'), 'utf8');
    expect(bareImports(preload)).toEqual(['electron']);
    expect(preload).not.toMatch(/^\s*import\s/m);
  });

  it('emits every page with its scripts and styles from the app itself, and no bare imports in page scripts', () => {
    const dir = join(out, 'renderer');
    const pages = readdirSync(dir).filter((f) => f.endsWith('.html'));
    expect(pages.sort()).toEqual(['idle-prompt.html', 'privacy-centre.html', 'project-search.html']);
    const assets = readdirSync(join(dir, 'assets'));
    for (const html of pages) {
      const text = readFileSync(join(dir, html), 'utf8');
      // the meta CSP the build adds (agent/vite-page-head.ts), in the first bytes with the charset
      const head =
        /<head>\s*<meta charset="utf-8">\s*<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(text);
      expect(head?.[1], `${html} starts its head with the charset and the meta CSP`).toBe(META_CONTENT_SECURITY_POLICY);
      const refs = [...text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
      expect(refs.some((r) => r.endsWith('.js'))).toBe(true);
      expect(refs.some((r) => r.endsWith('.css'))).toBe(true);
      for (const ref of refs) {
        expect(ref, `${html} refers to ${ref}`).toMatch(/^\.\/assets\/[\w.-]+$/);
        expect(assets, `${html} refers to ${ref}`).toContain(ref.slice('./assets/'.length));
      }
    }
    for (const js of assets.filter((f) => f.endsWith('.js')))
      expect(bareImports(readFileSync(join(dir, 'assets', js), 'utf8'))).toEqual([]);
  });

  it('ships the input hook child beside main, and the tray icons', () => {
    expect(readdirSync(join(out, 'electron'))).toContain('input-hook-child.mjs');
    expect(readdirSync(join(out, 'electron', 'icons')).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(
      5,
    );
  });
});
