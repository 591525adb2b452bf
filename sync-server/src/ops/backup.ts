/**
 * Backup: every sealtime database (prefix `st-`) streamed into one gzip
 * NDJSON file (backup-format.ts), through nano, so it is the same code on
 * the embedded engine and on CouchDB. Written to `<file>.partial` and
 * renamed at the end, so a file under the final name is always complete.
 *
 * Not included: `_local` documents (replication checkpoints: clients resume
 * by re-checking, which is idempotent) and tombstones of deleted documents.
 * What is in a backup stays readable only to holders of the keys: records
 * are sealed, and erasing an employee destroys their key (crypto-shredding).
 */
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { ServerScope } from 'nano';
import { actorName } from '../auth/actor.js';
import { BACKUP_FORMAT, BACKUP_VERSION, type BackupLine, type StoredDoc } from './backup-format.js';
import { sealtimeDatabases } from './hard-remove.js';
import type { OpsContext } from './ops-context.js';

export interface BackupResult {
  file: string;
  databases: Array<{ db: string; docs: number }>;
  docs: number;
  bytes: number;
}

const PAGE = 500;

interface ListRow {
  id: string;
  doc?: StoredDoc & { _conflicts?: string[] };
}

/** Every document of a database with its revision history, in id order. */
async function* documentsOf(nano: ServerScope, db: string): AsyncGenerator<StoredDoc> {
  let startkey: string | undefined;
  for (;;) {
    const page = (await nano.request({
      db,
      path: '_all_docs',
      qs: { include_docs: true, conflicts: true, attachments: true, limit: PAGE, ...(startkey !== undefined ? { startkey: JSON.stringify(startkey), skip: 1 } : {}) },
    })) as { rows: ListRow[] };
    const needHistory: Array<{ id: string; rev: string }> = [];
    const ready: StoredDoc[] = [];
    for (const row of page.rows) {
      const doc = row.doc;
      if (!doc) continue;
      const { _conflicts: conflicts, ...rest } = doc;
      const first = /^1-(.+)$/.exec(rest._rev);
      // a first revision with no conflict carries its whole history in its id
      if (first && !conflicts?.length) ready.push({ ...rest, _revisions: { start: 1, ids: [first[1]!] } });
      else needHistory.push({ id: row.id, rev: rest._rev }, ...(conflicts ?? []).map((rev) => ({ id: row.id, rev })));
    }
    if (needHistory.length > 0) {
      const res = (await nano.request({ db, path: '_bulk_get', method: 'POST', qs: { revs: true, attachments: true }, body: { docs: needHistory } })) as {
        results: Array<{ id: string; docs: Array<{ ok?: StoredDoc; error?: unknown }> }>;
      };
      for (const r of res.results) for (const d of r.docs) if (d.ok) ready.push(d.ok);
    }
    yield* ready;
    if (page.rows.length < PAGE) return;
    startkey = page.rows[page.rows.length - 1]!.id;
  }
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
    yield line({ type: 'backup', format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt: new Date().toISOString(), engine: ctx.engine.kind, databases: names });
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
  ctx.audit.record({ actor: actorName(ctx.actor), action: 'data.backup', target: 'databases:all', details: { databases: names.length, docs: total } });
  return { file, databases: counts, docs: total, bytes: (await stat(file)).size };
}
