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
import { cp, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { ensureRendererBuilt, RENDERER_DIR } from '@sealtime/admin-desktop/src/cli/renderer-build.js';

const adminDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'admin-desktop');
const src = join(adminDir, 'src');

export async function buildAdminApp(outDir = join(adminDir, 'dist')): Promise<string[]> {
  const deps = async (dir: string) =>
    Object.keys(
      (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> })
        .dependencies ?? {},
    );
  const npmDeps = [...new Set([...(await deps(adminDir)), ...(await deps(join(adminDir, '..', 'shared')))])].filter(
    (d) => !d.startsWith('@sealtime/'),
  );
  const external = ['electron', ...npmDeps, ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
  await ensureRendererBuilt(() => undefined);
  await rm(join(outDir, 'main'), { recursive: true, force: true });
  const common = {
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    sourcemap: false,
    logLevel: 'warning' as const,
    legalComments: 'none' as const,
  };
  await build({
    ...common,
    entryPoints: [join(src, 'main', 'main.ts')],
    outfile: join(outDir, 'main', 'main.js'),
    format: 'esm',
    external: external.flatMap((e) => [e, `${e}/*`]),
    banner: {
      js: "import { createRequire as __sealtimeRequire } from 'node:module'; const require = __sealtimeRequire(import.meta.url);",
    },
  });
  await build({
    ...common,
    entryPoints: [join(src, 'main', 'preload.ts')],
    outfile: join(outDir, 'main', 'preload.js'),
    format: 'cjs',
    external: ['electron'],
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
