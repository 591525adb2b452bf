// The pages as files: CSP in the meta tag equals the header's, no inline
// script or handler, scripts from the app only, and page code that imports
// nothing but its siblings (no Node, no electron, no packages at runtime).
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { CONTENT_SECURITY_POLICY } from '../tray/content-security-policy.js';

const dir = new URL('./', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');
const pages = readdirSync(dir).filter((f) => f.endsWith('.html'));

describe('renderer pages', () => {
  it('exist for every window', () => {
    expect(pages.sort()).toEqual(['idle-prompt.html', 'privacy-centre.html']);
  });

  it.each(pages)('%s: meta CSP, no inline code, only local module scripts', (page) => {
    const html = read(page);
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html);
    expect(meta?.[1]).toBe(CONTENT_SECURITY_POLICY);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(1);
    for (const [, attrs, body] of scripts) {
      expect(body!.trim()).toBe('');
      const src = /src="([^"]+)"/.exec(attrs!)?.[1];
      expect(src).toMatch(/^[a-z-]+\.mjs$/);
      expect(existsSync(new URL(src!.replace(/\.mjs$/, '.mts'), dir))).toBe(true);
    }
    expect(html).not.toMatch(/\son[a-z]+=|javascript:|<style|style="|https?:\/\//);
  });

  it('page code imports only its siblings, and writes text, not markup', () => {
    const code = readdirSync(dir).filter((f) => /\.(mts|ts)$/.test(f) && !f.endsWith('.test.ts'));
    for (const f of code) {
      const src = read(f);
      for (const m of src.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)'/gm)) {
        if (m[1]) continue; // types are erased
        expect(m[2], `${f} imports ${m[2]}`).toMatch(/^\.\/[a-z-]+\.(m?js)$/);
      }
      expect(src).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/);
    }
  });
});
