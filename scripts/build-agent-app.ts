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
import { copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const agentDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'agent');
const src = join(agentDir, 'src');

export async function buildAgentApp(outDir = join(agentDir, 'dist')): Promise<string[]> {
  const deps = async (dir: string) =>
    Object.keys(
      (JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> })
        .dependencies ?? {},
    );
  // everything npm installs (the agent's and shared's dependencies: native addons among them) stays
  // external and is packed from node_modules; our own workspaces are bundled
  const npmDeps = [...new Set([...(await deps(agentDir)), ...(await deps(join(agentDir, '..', 'shared')))])].filter(
    (d) => !d.startsWith('@sealtime/'),
  );
  const external = ['electron', ...npmDeps, ...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
  await rm(outDir, { recursive: true, force: true });
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
    entryPoints: [join(src, 'electron', 'main.ts')],
    outfile: join(outDir, 'electron', 'main.js'),
    format: 'esm',
    external: external.flatMap((e) => [e, `${e}/*`]),
    // some bundled CommonJS code calls require(): give the ESM bundle one
    banner: {
      js: "import { createRequire as __sealtimeRequire } from 'node:module'; const require = __sealtimeRequire(import.meta.url);",
    },
  });
  await build({
    ...common,
    entryPoints: [join(src, 'electron', 'preload.ts')],
    outfile: join(outDir, 'preload', 'preload.js'),
    format: 'cjs',
    external: ['electron'],
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
  await buildHeadlessCli(outDir, external, common);
  return external;
}

/**
 * V8 flags the headless agent runs with (its shebang line): a young generation
 * of 1 MB semi-spaces instead of up to 16 MB. The agent allocates little and
 * steadily, so scavenges stay cheap, and the resident heap stays small.
 */
export const AGENT_NODE_FLAGS = ['--max-semi-space-size=1'];

/**
 * The headless agent as it ships: cli/sealtime-agent.mjs, plain JavaScript run
 * by node (the repository's bin runs the TypeScript through tsx instead, which
 * costs ~30 MB and an esbuild child process at run time).
 */
async function buildHeadlessCli(
  outDir: string,
  external: string[],
  common: {
    bundle: boolean;
    platform: 'node';
    target: string;
    sourcemap: boolean;
    logLevel: 'warning';
    legalComments: 'none';
  },
): Promise<void> {
  await build({
    ...common,
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
      js: `#!/usr/bin/env -S node ${AGENT_NODE_FLAGS.join(' ')}\nimport { createRequire as __sealtimeRequire } from 'node:module'; const require = __sealtimeRequire(import.meta.url);`,
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
