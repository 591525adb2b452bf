/**
 * The admin renderer's Vite build, made on demand for a source checkout
 * (`sealtime-admin ui`, the desktop build, the test run's global setup).
 */
import { access, chmod, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdminError } from '../admin/admin-error.js';

export const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));
const VITE_CONFIG = fileURLToPath(new URL('../../vite.config.ts', import.meta.url));

/** Builds the renderer with Vite when no build is there yet (a source checkout). */
export async function ensureRendererBuilt(log: (line: string) => void): Promise<void> {
  try {
    await access(join(RENDERER_DIR, 'index.html'));
    return;
  } catch {
    // not built yet: build below
  }
  log('building the admin renderer (first run)…');
  await buildRenderer();
}

/**
 * Vite build into a fresh folder, then one rename into place: two processes
 * starting at once (tests, a user double-clicking) never serve a half-written
 * or half-emptied build; the loser of the rename keeps the winner's.
 */
export async function buildRenderer(target = RENDERER_DIR): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = await mkdtemp(join(dirname(target), '.renderer-build-'));
  try {
    const vite = await import('vite');
    // always React's production build: Vite takes NODE_ENV from the environment, and under the test
    // runner (NODE_ENV=test) it bundled React's development runtime (jsxDEV, an owner stack per
    // element), which every UI test, the bench and any later `sealtime-admin ui` then served
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await vite.build({
        configFile: VITE_CONFIG,
        mode: 'production',
        logLevel: 'warn',
        build: { outDir: tmp, emptyOutDir: true },
      });
    } finally {
      if (env === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = env;
    }
    await chmod(tmp, 0o755); // mkdtemp made it private
    await rm(`${target}.old`, { recursive: true, force: true });
    await rename(target, `${target}.old`).catch(() => undefined);
    await rename(tmp, target).catch(() => undefined);
    await rm(`${target}.old`, { recursive: true, force: true });
  } catch (err) {
    throw new AdminError(
      'bad-input',
      `the admin renderer is not built and building it failed (${(err as Error).message.split('\n')[0]}): run \`npm run build:admin-ui\` in the project root`,
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
