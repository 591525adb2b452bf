// The agent's two pages (privacy centre, idle prompt), React like the admin
// renderer: one HTML entry each, built into dist/renderer, which main serves
// from sealtime-app://app (tray/app-protocol.ts) under the strict CSP.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { pageHead } from './vite-page-head.js';

const renderer = (file: string) => fileURLToPath(new URL(`./src/renderer/${file}`, import.meta.url));

export default defineConfig({
  root: renderer(''),
  // relative asset URLs: the pages load from the app scheme, not a server root
  base: './',
  // the charset, meta CSP and viewport every page starts with (vite-page-head.ts)
  plugins: [pageHead()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // no inline scripts or data: modules: the CSP allows script-src 'self' only
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: {
        'privacy-centre': renderer('privacy-centre.html'),
        'idle-prompt': renderer('idle-prompt.html'),
        'project-search': renderer('project-search.html'),
      },
    },
  },
});
