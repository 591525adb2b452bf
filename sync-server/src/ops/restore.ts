/**
 * Restore: reads a backup file (backup-format.ts) as a stream and writes
 * each database back through nano with `new_edits: false`, so documents
 * keep their revisions. Refuses to write into a database that already holds
 * documents (other than design documents provisioning installs) unless
 * `force`; with force, restored revisions merge into what is there, as
 * replication would: only revisions the database lacks are written, each
 * with its history, so every conflicting branch of a document is reproduced
 * and restoring over the same data writes nothing. Design documents are written last and only where the
 * target has none of that id (provisioning owns the current ones). After
 * each database, every restored id is checked to be there, and the counts
 * against the file's own.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { ServerScope } from 'nano';
import { actorName } from '../auth/actor.js';
import { dbNames, parseDbName } from '../provisioning/db-names.js';
import { ensureDb, statusOf } from '../provisioning/engine-ops.js';
import { BACKUP_VERSION, parseBackupLine, type StoredDoc } from './backup-format.js';
import { databaseExists } from './hard-remove.js';
import type { OpsContext } from './ops-context.js';
import { OpsError } from './ops-errors.js';

export interface RestoreOptions {
  /** Write into databases that already hold documents. */
  force?: boolean;
}

export interface RestoreResult {
  file: string;
  databases: Array<{ db: string; docs: number; designKept: number }>;
  docs: number;
}

const BATCH = 500;

const isOurs = (name: string): boolean => parseDbName(name) !== null || name === dbNames.provisioning;

/** Documents other than design documents. */
async function userDocCount(nano: ServerScope, db: string): Promise<number> {
  const info = await nano.db.get(db);
  const design = (await nano.request({ db, path: '_all_docs', qs: { startkey: '_design/', endkey: '_design0' } })) as {
    rows: unknown[];
  };
  return info.doc_count - design.rows.length;
}

/**
 * Writes the revisions the database lacks, as replication would: `_revs_diff`
 * first, so a revision (a conflicting branch included) that is there already
 * is not written again. Writing it again would meet the database's
 * validate_doc_update with the winning revision as the old document (the
 * embedded engine passes the winner whatever the branch), and a sealed
 * record's other branch differs from it: "sealed documents are immutable".
 */
async function writeDocs(nano: ServerScope, db: string, all: StoredDoc[]): Promise<void> {
  if (all.length === 0) return;
  const asked: Record<string, string[]> = {};
  for (const d of all) (asked[d._id] ??= []).push(d._rev);
  const diff = (await nano.request({ db, path: '_revs_diff', method: 'POST', body: asked })) as Record<
    string,
    { missing?: string[] }
  >;
  const docs = all.filter((d) => diff[d._id]?.missing?.includes(d._rev));
  if (docs.length === 0) return;
  const res = (await nano.request({
    db,
    path: '_bulk_docs',
    method: 'POST',
    body: { docs, new_edits: false },
  })) as Array<{ id?: string; error?: string; reason?: string }>;
  const refused = res.find((r) => r.error);
  if (refused)
    throw new OpsError(
      'verify-failed',
      `${db} refused ${refused.id ?? 'a document'}: ${refused.reason ?? refused.error}`,
    );
}

async function missingIds(nano: ServerScope, db: string, ids: Set<string>): Promise<string[]> {
  const left = new Set(ids);
  let startkey: string | undefined;
  for (;;) {
    const page = (await nano.request({
      db,
      path: '_all_docs',
      qs: { limit: 2000, ...(startkey !== undefined ? { startkey, skip: 1 } : {}) },
    })) as { rows: Array<{ id: string }> };
    for (const r of page.rows) left.delete(r.id);
    if (page.rows.length < 2000) break;
    startkey = page.rows[page.rows.length - 1]!.id;
  }
  return [...left];
}

function badBackup(file: string, why: string): OpsError {
  return new OpsError('bad-backup', `${file} is not a usable sealtime backup: ${why}`);
}

export async function restore(ctx: OpsContext, file: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const { nano } = ctx.engine;
  const gunzip = createGunzip();
  const input = createReadStream(file);
  let streamError: Error | null = null;
  input.on('error', (e) => {
    streamError = e;
    gunzip.destroy(e);
  });
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Infinity });
  const progress = ctx.progress;
  const result: RestoreResult = { file, databases: [], docs: 0 };
  let expected = 0;
  let current: { db: string; docs: number; ids: Set<string>; batch: StoredDoc[]; design: StoredDoc[] } | null = null;
  let header = false;
  let ended = false;
  let lineNo = 0;

  try {
    for await (const text of lines) {
      lineNo++;
      if (text.trim() === '') continue;
      const line = parseBackupLine(text);
      if (!line) throw badBackup(file, `line ${lineNo} is not a backup line`);
      if (ended) throw badBackup(file, `data after the end line (line ${lineNo})`);
      if (!header) {
        if (line.type !== 'backup') throw badBackup(file, 'it does not start with a sealtime-backup header');
        if (line.version > BACKUP_VERSION)
          throw badBackup(file, `format version ${line.version} is newer than this server reads (${BACKUP_VERSION})`);
        const foreign = line.databases.filter((n) => !isOurs(n));
        if (foreign.length > 0)
          throw badBackup(file, `it names databases that are not sealtime's: ${foreign.join(', ')}`);
        if (!opts.force) {
          const occupied: string[] = [];
          for (const n of line.databases)
            if ((await databaseExists(ctx.engine, n)) && (await userDocCount(nano, n)) > 0) occupied.push(n);
          if (occupied.length > 0) {
            throw new OpsError(
              'not-empty',
              `refusing to restore over databases that hold documents: ${occupied.join(', ')} (restore into an empty engine, or pass --force to merge)`,
            );
          }
        }
        header = true;
        progress?.start(0, 'restore');
        continue;
      }
      switch (line.type) {
        case 'backup':
          throw badBackup(file, `a second header at line ${lineNo}`);
        case 'db':
          if (current) throw badBackup(file, `database ${line.name} starts before ${current.db} ended`);
          if (!isOurs(line.name)) throw badBackup(file, `${line.name} is not a sealtime database`);
          await ensureDb(nano, line.name);
          if (Object.keys(line.security).length > 0)
            await nano.request({ db: line.name, path: '_security', method: 'PUT', body: line.security });
          current = { db: line.name, docs: 0, ids: new Set(), batch: [], design: [] };
          progress?.setTotal((expected += line.docCount));
          break;
        case 'doc': {
          if (!current) throw badBackup(file, `a document outside any database (line ${lineNo})`);
          const c = current;
          c.docs++;
          c.ids.add(line.doc._id);
          if (line.doc._id.startsWith('_design/')) c.design.push(line.doc);
          else c.batch.push(line.doc);
          if (c.batch.length >= BATCH) {
            await writeDocs(nano, c.db, c.batch.splice(0));
          }
          progress?.advance(1, c.db);
          break;
        }
        case 'db-end': {
          if (!current || current.db !== line.name) throw badBackup(file, `an unexpected end of ${line.name}`);
          const c = current;
          if (c.docs !== line.docs)
            throw badBackup(file, `${c.db} lists ${c.docs} documents but its end line says ${line.docs}`);
          await writeDocs(nano, c.db, c.batch.splice(0));
          let designKept = 0;
          for (const d of c.design) {
            const there = await nano
              .use(c.db)
              .head(d._id)
              .then(
                () => true,
                (e: unknown) => (statusOf(e) === 404 ? false : Promise.reject(e)),
              );
            if (there) designKept++;
            else await writeDocs(nano, c.db, [d]);
          }
          const missing = await missingIds(nano, c.db, c.ids);
          if (missing.length > 0)
            throw new OpsError(
              'verify-failed',
              `${c.db}: ${missing.length} restored documents are not there (first: ${missing[0]})`,
            );
          result.databases.push({ db: c.db, docs: c.docs, designKept });
          result.docs += c.docs;
          current = null;
          break;
        }
        case 'end':
          if (current) throw badBackup(file, `it ends inside ${current.db}`);
          if (line.databases !== result.databases.length || line.docs !== result.docs) {
            throw badBackup(
              file,
              `its end line counts ${line.databases} databases / ${line.docs} documents, the file holds ${result.databases.length} / ${result.docs}`,
            );
          }
          ended = true;
          break;
      }
    }
  } catch (e) {
    if (e instanceof OpsError) throw e;
    const err = streamError ?? (e as Error);
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new OpsError('invalid-input', `no backup file at ${file}`);
    if (
      code === 'Z_DATA_ERROR' ||
      code === 'Z_BUF_ERROR' ||
      /incorrect header check|unexpected end of file/i.test(err.message)
    )
      throw badBackup(file, 'it is not gzip data or it is truncated');
    throw e;
  } finally {
    lines.close();
    progress?.stop();
  }
  if (!header) throw badBackup(file, 'it is empty');
  if (!ended) throw badBackup(file, 'it is incomplete (no end line): the backup was interrupted');
  ctx.audit.record({
    actor: actorName(ctx.actor),
    action: 'data.restore',
    target: 'databases:all',
    details: { databases: result.databases.length, docs: result.docs, force: opts.force === true },
  });
  return result;
}
