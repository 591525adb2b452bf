// The pages as files: the meta CSP the build adds (vite-page-head.ts) equals
// the header's minus frame-ancestors (ignored in a meta tag, with a console
// warning), no inline script or handler, one module entry from the app, and
// page code that reaches nothing but its siblings, React and the shared
// view/UI entries (no Node, no electron, no other app). The built pages are
// checked in build-agent-app.test.ts.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { CONTENT_SECURITY_POLICY, META_CONTENT_SECURITY_POLICY } from '../tray/content-security-policy.js';
import { withPageHead } from '../../vite-page-head.js';

const dir = new URL('./', import.meta.url);
const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');
const pages = readdirSync(dir).filter((f) => f.endsWith('.html'));

describe('renderer pages', () => {
  it('exist for every window', () => {
    expect(pages.sort()).toEqual(['idle-prompt.html', 'privacy-centre.html', 'project-search.html']);
  });

  it('send frame-ancestors in the header only', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(META_CONTENT_SECURITY_POLICY).not.toContain('frame-ancestors');
    expect(META_CONTENT_SECURITY_POLICY).toBe(CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''));
  });

  it.each(pages)('%s: the build starts its head with the charset, the meta CSP and the viewport', (page) => {
    const built = withPageHead(read(page));
    const head = /^<!doctype html>\n<html lang="en">\n<head>\n(<meta [^\n]*>\n){3}<title>/.exec(built);
    expect(head, built).not.toBeNull();
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(built);
    expect(meta?.[1]).toBe(META_CONTENT_SECURITY_POLICY);
    expect(built).toContain('<meta charset="utf-8">\n<meta http-equiv');
    expect(built).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
  });

  it('refuses a page without a head: it would ship without its meta CSP', () => {
    expect(() => withPageHead('<html><body></body></html>')).toThrow(/<head>/);
  });

  it.each(pages)('%s: a title, no meta of its own, no inline code, one local module entry', (page) => {
    const html = read(page);
    // the build adds the meta tags (above): a copy here would be a second CSP to keep in step
    expect(html).not.toMatch(/<meta/);
    expect(html).toMatch(/<title>Sealtime — [^<]+<\/title>/);
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBe(1);
    for (const [, attrs, body] of scripts) {
      expect(body!.trim()).toBe('');
      expect(attrs).toContain('type="module"');
      const src = /src="([^"]+)"/.exec(attrs!)?.[1];
      expect(src).toMatch(/^\.\/[a-z-]+\.tsx$/);
      expect(existsSync(new URL(src!, dir))).toBe(true);
    }
    expect(html).not.toMatch(/\son[a-z]+=|javascript:|<style|style="|https?:\/\//);
  });

  it('page code imports only its siblings, React and the shared entries, and writes text, not markup', () => {
    const code = readdirSync(dir).filter((f) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f));
    expect(code.length).toBeGreaterThan(5);
    for (const f of code) {
      const src = read(f);
      for (const m of src.matchAll(/^import\s+(type\s+)?(?:[^;]*?from\s+)?'([^']+)'/gm)) {
        if (m[1]) continue; // types are erased
        expect(m[2], `${f} imports ${m[2]}`).toMatch(
          /^(\.\/[A-Za-z-]+\.(js|css)|react|react-dom\/client|date-fns|@date-fns\/tz|@sealtime\/shared\/(views|ui|ui\/(person-day|base)\.css))$/,
        );
      }
      expect(src).not.toMatch(
        /innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write|eval\(|new Function/,
      );
    }
  });
});
