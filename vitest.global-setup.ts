/**
 * Once per `vitest run`, before any test file: the admin renderer's Vite build
 * is made fresh if any file it is built from changed since. The UI tests run
 * in parallel processes and each starts `sealtime-admin ui`; building here
 * means none of them builds (or serves) a stale or half-written renderer.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buildRenderer, RENDERER_DIR } from '@sealtime/admin-desktop/src/cli/renderer-build.js';

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, await newestMtime(p));
    else if (!/\.test\.tsx?$/.test(e.name)) newest = Math.max(newest, (await stat(p)).mtimeMs);
  }
  return newest;
}

export default async function setup(): Promise<void> {
  const sources = ['admin-desktop/src/renderer', 'admin-desktop/src/api', 'admin-desktop/src/ipc', 'shared/src'];
  let newest = (await stat('admin-desktop/vite.config.ts')).mtimeMs;
  // how it is built counts too (a build made with React's development runtime is rebuilt)
  newest = Math.max(newest, (await stat('admin-desktop/src/cli/renderer-build.ts')).mtimeMs);
  for (const d of sources) newest = Math.max(newest, await newestMtime(d));
  const built = await stat(join(RENDERER_DIR, 'index.html')).then(
    (s) => s.mtimeMs,
    () => 0,
  );
  if (built < newest) await buildRenderer();
}
