/**
 * `npm run build:admin-app` — the desktop admin app's files for
 * electron-builder, in admin-desktop/dist (or the directory given):
 *
 *   main/main.js      main process, ESM, one bundle: the core, the API and
 *                     @sealtime/shared inlined; npm dependencies external
 *                     (packed from node_modules, native addons unpacked)
 *   main/preload.js   CommonJS: sandboxed preloads are classic scripts
 *   renderer/         the Vite build, the same one `sealtime-admin ui` serves
 *
 * Package it with: npx electron-builder --projectDir admin-desktop
 */
import { cp, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMainAndPreload, externalModules } from './electron-bundle.js';
import { ensureRendererBuilt, RENDERER_DIR } from '@sealtime/admin-desktop/src/cli/renderer-build.js';

const adminDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'admin-desktop');
const src = join(adminDir, 'src');

export async function buildAdminApp(outDir = join(adminDir, 'dist')): Promise<string[]> {
  const external = await externalModules(adminDir);
  await ensureRendererBuilt(() => undefined);
  await rm(join(outDir, 'main'), { recursive: true, force: true });
  await buildMainAndPreload({
    main: { entry: join(src, 'main', 'main.ts'), out: join(outDir, 'main', 'main.js') },
    preload: { entry: join(src, 'main', 'preload.ts'), out: join(outDir, 'main', 'preload.js') },
    external,
  });
  if (resolve(outDir, 'renderer') !== resolve(RENDERER_DIR))
    await cp(RENDERER_DIR, join(outDir, 'renderer'), { recursive: true });
  return external;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : undefined;
  await buildAdminApp(out);
  console.log(
    `admin app built into ${out ?? join(adminDir, 'dist')}; package it with: npx electron-builder --projectDir admin-desktop`,
  );
}
