/**
 * The baseline the admin app's replica pull must reach: PouchDB's own
 * replicator pulling a consolidated database through the gateway (the
 * admin's session token on every request) into a LevelDB PouchDB on disk.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { httpPouch, leveldbPouch } from '@sealtime/sync-server/src/engine/pouch-modules.js';

export interface PullResult {
  docs: number;
  seconds: number;
  docsPerSecond: number;
}

export async function pouchPull(serverUrl: string, db: string, token: string, batchSize = 500): Promise<PullResult> {
  const dir = await mkdtemp(join(tmpdir(), 'st-bench-admin-pull-'));
  const Http = httpPouch();
  const source = new Http(`${serverUrl}/${db}`, {
    skip_setup: true,
    fetch: (url: string, opts: { headers: Headers }) => {
      opts.headers.set('authorization', `Bearer ${token}`);
      return fetch(url, opts as RequestInit);
    },
  });
  const Local = leveldbPouch(dir);
  const target = new Local('replica');
  try {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const rep = Local.replicate(source, target, { batch_size: batchSize });
      rep.on('complete', () => resolve());
      rep.on('error', (e) => reject(e instanceof Error ? e : new Error(JSON.stringify(e))));
      rep.on('denied', (e) => reject(new Error(`denied: ${JSON.stringify(e)}`)));
    });
    const seconds = (performance.now() - t0) / 1000;
    const docs = (await target.info()).doc_count;
    return { docs, seconds, docsPerSecond: docs / seconds };
  } finally {
    await target.close().catch(() => undefined);
    await source.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
