/**
 * The start of every agent page's <head>, added by Vite when it builds the
 * pages, so each page's HTML names only its title and its entry: the charset,
 * the meta CSP (tray/content-security-policy.ts: the header's policy minus
 * frame-ancestors, one definition instead of a copy per page) and the viewport.
 * Written as text, not Vite tag descriptors: those escape the policy's quotes
 * as &#39;, and the built pages stay byte-for-byte what they were.
 */
import type { Plugin } from 'vite';
import { META_CONTENT_SECURITY_POLICY } from './src/tray/content-security-policy.js';

if (META_CONTENT_SECURITY_POLICY.includes('"')) throw new Error('the meta CSP cannot hold a double quote');

export const PAGE_HEAD = [
  '<meta charset="utf-8">',
  `<meta http-equiv="Content-Security-Policy" content="${META_CONTENT_SECURITY_POLICY}">`,
  '<meta name="viewport" content="width=device-width, initial-scale=1">',
].join('\n');

/** `html` with PAGE_HEAD right after its <head> (a page without one is refused: it would ship without a CSP). */
export function withPageHead(html: string): string {
  if (!/<head>/.test(html)) throw new Error('an agent page needs a <head> for its meta CSP');
  return html.replace('<head>', `<head>\n${PAGE_HEAD}`);
}

export function pageHead(): Plugin {
  return { name: 'sealtime-page-head', transformIndexHtml: { order: 'pre', handler: withPageHead } };
}
