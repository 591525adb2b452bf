/**
 * What the two Electron app builds (agent tray, admin desktop) share: which
 * modules stay external, esbuild's common options, and the main + preload
 * bundles. Each app's build script adds its own parts around these.
 */
import { readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

export const ESBUILD_COMMON = {
  bundle: true,
  platform: 'node' as const,
  target: 'node20',
  sourcemap: false,
  logLevel: 'warning' as const,
  legalComments: 'none' as const,
};

/** Some bundled CommonJS code calls require(): an ESM bundle needs one of its own. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __sealtimeRequire } from 'node:module'; const require = __sealtimeRequire(import.meta.url);";

async function dependenciesOf(dir: string): Promise<string[]> {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.keys(pkg.dependencies ?? {});
}

/**
 * Everything npm installs for the app and for shared (native addons among
 * them) stays external and is packed from node_modules; our own workspaces
 * are bundled.
 */
export async function externalModules(appDir: string): Promise<string[]> {
  const npmDeps = [
    ...new Set([...(await dependenciesOf(appDir)), ...(await dependenciesOf(join(appDir, '..', 'shared')))]),
  ].filter((d) => !d.startsWith('@sealtime/'));
  return ['electron', ...npmDeps, ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
}

/** The main process as one ESM bundle and the preload as CommonJS (sandboxed preloads are classic scripts). */
export async function buildMainAndPreload(o: {
  main: { entry: string; out: string };
  preload: { entry: string; out: string };
  external: string[];
}): Promise<void> {
  await build({
    ...ESBUILD_COMMON,
    entryPoints: [o.main.entry],
    outfile: o.main.out,
    format: 'esm',
    external: o.external.flatMap((e) => [e, `${e}/*`]),
    banner: { js: ESM_REQUIRE_BANNER },
  });
  await build({
    ...ESBUILD_COMMON,
    entryPoints: [o.preload.entry],
    outfile: o.preload.out,
    format: 'cjs',
    external: ['electron'],
  });
}
