// The admin renderer, built for both transports: `sealtime-admin ui` serves
// dist/renderer to a browser; the Electron window loads the same files.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./src/renderer', import.meta.url)),
  // relative asset URLs: served from / by the ui server and from file:// by Electron
  base: './',
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // no inline scripts or data: modules — the CSP allows 'self' only
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
