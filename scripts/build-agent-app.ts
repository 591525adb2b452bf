/**
 * `npm run build:agent-app` — the tray app's files for electron-builder, in
 * agent/dist (or the directory given as the first argument):
 *
 *   electron/main.js               main process, ESM, one bundle: the agent's
 *                                  own code and @sealtime/shared (which ships
 *                                  TypeScript sources) inlined; npm
 *                                  dependencies stay external and are packed
 *                                  from node_modules, native addons unpacked
 *   electron/input-hook-child.mjs  the isolated input hook (forked by path)
 *   electron/icons/*.png           tray icons
 *   preload/preload.js             CommonJS: sandboxed preloads are classic scripts
 *   renderer/*.html, assets/       the pages (React), built by Vite (agent/vite.config.ts)
 *   cli/sealtime-agent.mjs         the headless agent (`node agent/dist/cli/sealtime-agent.mjs run`)
 *
 * esbuild (the bundler tsx already runs on) bundles main, preload and the CLI;
 * Vite the pages; tsc still type-checks everything.
 */
import { copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { AGENT_MALLOC_ENV } from '@sealtime/agent/src/tray/malloc-env.js';
import { buildMainAndPreload, ESBUILD_COMMON, ESM_REQUIRE_BANNER, externalModules } from './electron-bundle.js';

const agentDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'agent');
const src = join(agentDir, 'src');

export async function buildAgentApp(outDir = join(agentDir, 'dist')): Promise<string[]> {
  const external = await externalModules(agentDir);
  await rm(outDir, { recursive: true, force: true });
  await buildMainAndPreload({
    main: { entry: join(src, 'electron', 'main.ts'), out: join(outDir, 'electron', 'main.js') },
    preload: { entry: join(src, 'electron', 'preload.ts'), out: join(outDir, 'preload', 'preload.js') },
    external,
  });
  // the pages: React, built by Vite like the admin renderer (agent/vite.config.ts)
  const vite = await import('vite');
  await vite.build({
    configFile: join(agentDir, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: join(outDir, 'renderer'), emptyOutDir: true },
  });

  const copies: Array<[string, string]> = [
    [join(src, 'collectors', 'input', 'input-hook-child.mjs'), join(outDir, 'electron', 'input-hook-child.mjs')],
  ];
  for (const f of await readdir(join(src, 'electron', 'icons')))
    copies.push([join(src, 'electron', 'icons', f), join(outDir, 'electron', 'icons', f)]);
  for (const [from, to] of copies) {
    await mkdir(dirname(to), { recursive: true });
    await copyFile(from, to);
  }
  await buildHeadlessCli(outDir, external);
  return external;
}

/**
 * V8 flags the headless agent runs with (its shebang line): a young generation
 * of 1 MB semi-spaces instead of up to 16 MB. The agent allocates little and
 * steadily, so scavenges stay cheap, and the resident heap stays small.
 */
export const AGENT_NODE_FLAGS = ['--max-semi-space-size=1'];

/** glibc malloc settings (agent/src/tray/malloc-env.ts says why), as env assignments on the shebang line. */
export const AGENT_ENV = Object.entries(AGENT_MALLOC_ENV).map(([k, v]) => `${k}=${v}`);

/**
 * The headless agent as it ships: cli/sealtime-agent.mjs, plain JavaScript run
 * by node (the repository's bin runs the TypeScript through tsx instead, which
 * costs ~30 MB and an esbuild child process at run time).
 */
async function buildHeadlessCli(outDir: string, external: string[]): Promise<void> {
  await build({
    ...ESBUILD_COMMON,
    stdin: {
      contents: "import { main } from './main.ts';\nprocess.exitCode = await main(process.argv);\n",
      resolveDir: join(src, 'cli'),
      sourcefile: 'sealtime-agent.ts',
      loader: 'ts',
    },
    outfile: join(outDir, 'cli', 'sealtime-agent.mjs'),
    format: 'esm',
    external: external.filter((e) => e !== 'electron').flatMap((e) => [e, `${e}/*`]),
    banner: {
      js: `#!/usr/bin/env -S ${AGENT_ENV.join(' ')} node ${AGENT_NODE_FLAGS.join(' ')}\n${ESM_REQUIRE_BANNER}`,
    },
  });
  await copyFile(join(src, 'collectors', 'input', 'input-hook-child.mjs'), join(outDir, 'cli', 'input-hook-child.mjs'));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] ? resolve(process.argv[2]) : undefined;
  await buildAgentApp(out);
  console.log(
    `tray app built into ${out ?? join(agentDir, 'dist')}; package it with: npx electron-builder --projectDir agent`,
  );
}
