/**
 * Backup: every sealtime database (prefix `st-`) streamed into one gzip
 * NDJSON file (backup-format.ts), through nano, so it is the same code on
 * the embedded engine and on CouchDB. Written to `<file>.partial` and
 * renamed at the end, so a file under the final name is always complete.
 *
 * Documents are read at least as new as a quorum of a cluster's copies
 * holds them (backup-reader.ts), never an older revision a lagging copy
 * still shows. Not included: `_local` documents (replication checkpoints: clients resume
 * by re-checking, which is idempotent) and tombstones of deleted documents.
 * What is in a backup stays readable only to holders of the keys: records
 * are sealed, and erasing an employee destroys their key (crypto-shredding).
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { actorName } from '../auth/actor.js';
import { BACKUP_FORMAT, BACKUP_VERSION, type BackupLine } from './backup-format.js';
import { documentsOf } from './backup-reader.js';
import { sealtimeDatabases } from './hard-remove.js';
import type { OpsContext } from './ops-context.js';

export interface BackupResult {
  file: string;
  databases: Array<{ db: string; docs: number }>;
  docs: number;
  bytes: number;
}

export async function backup(ctx: OpsContext, file: string): Promise<BackupResult> {
  const { nano } = ctx.engine;
  const names = await sealtimeDatabases(ctx.engine);
  const infos = await Promise.all(names.map(async (n) => ({ db: n, estimate: (await nano.db.get(n)).doc_count })));
  const progress = ctx.progress;
  // doc_count is an estimate (it leaves out conflicts fetched as extra revisions): the bar grows if needed
  let expected = infos.reduce((s, i) => s + i.estimate, 0);
  progress?.start(expected, 'backup');
  const counts: Array<{ db: string; docs: number }> = [];
  let total = 0;

  async function* lines(): AsyncGenerator<string> {
    const line = (l: BackupLine): string => `${JSON.stringify(l)}\n`;
    yield line({
      type: 'backup',
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt: new Date().toISOString(),
      engine: ctx.engine.kind,
      databases: names,
    });
    for (const { db, estimate } of infos) {
      const security = (await nano.request({ db, path: '_security' })) as Record<string, unknown>;
      yield line({ type: 'db', name: db, docCount: estimate, security: security ?? {} });
      let n = 0;
      for await (const doc of documentsOf(nano, db)) {
        yield line({ type: 'doc', doc });
        n++;
        if (n > estimate) progress?.setTotal(++expected);
        progress?.advance(1, db);
      }
      yield line({ type: 'db-end', name: db, docs: n });
      counts.push({ db, docs: n });
      total += n;
    }
    yield line({ type: 'end', databases: names.length, docs: total });
  }

  const partial = `${file}.partial`;
  try {
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(partial));
    await rename(partial, file);
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  } finally {
    progress?.stop();
  }
  ctx.audit.record({
    actor: actorName(ctx.actor),
    action: 'data.backup',
    target: 'databases:all',
    details: { databases: names.length, docs: total },
  });
  return { file, databases: counts, docs: total, bytes: (await stat(file)).size };
}
