import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmbeddedEngine, type EmbeddedEngine } from './embedded-engine.js';

let dir: string;
let engine: EmbeddedEngine | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealtime-engine-'));
});
afterEach(async () => {
  await engine?.close();
  engine = null;
  await rm(dir, { recursive: true, force: true });
});

function bare(e: EmbeddedEngine, path: string): string {
  return `http://127.0.0.1:${e.port}${path}`;
}

describe('embedded engine', () => {
  it('listens on loopback and refuses every request without its own credential', async () => {
    engine = await startEmbeddedEngine({ dataDir: dir });
    expect(new URL(engine.url).hostname).toBe('127.0.0.1');
    await engine.nano.db.create('st-open-test');
    // a database without _security is open in express-pouchdb: not here
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/st-open-test'],
      ['GET', '/st-open-test/_all_docs'],
      ['PUT', '/st-new'],
      ['GET', '/_all_dbs'],
    ] as const) {
      const res = await fetch(bare(engine, path), { method });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    const wrong = await fetch(bare(engine, '/st-open-test'), {
      headers: { authorization: `Basic ${Buffer.from('sealtime-engine:guess').toString('base64')}` },
    });
    expect(wrong.status).toBe(401);
    expect((await engine.nano.db.list()).includes('st-new')).toBe(false);
  });

  it('speaks the CouchDB API through nano with its credential', async () => {
    engine = await startEmbeddedEngine({ dataDir: dir });
    await engine.nano.db.create('st-a');
    const db = engine.nano.use<{ n: number }>('st-a');
    await db.insert({ n: 1 }, 'one');
    expect((await db.get('one')).n).toBe(1);
    const sec = { admins: { names: [], roles: [] }, members: { names: [], roles: ['_admin'] } };
    await engine.nano.request({ db: 'st-a', path: '_security', method: 'PUT', body: sec });
    expect(await engine.nano.request({ db: 'st-a', path: '_security' })).toEqual(sec);
  });

  it('keeps no instance behind for a database created over HTTP (one registered instance per name)', async () => {
    engine = await startEmbeddedEngine({ dataDir: dir });
    const names = ['st-r1', 'st-r2', 'st-r3'];
    for (const n of names) await engine.nano.db.create(n);
    for (const n of names) await engine.nano.use(n).insert({ _id: 'x' }); // the cached instance serves these
    const registry = (engine.PouchDB as unknown as { _destructionListeners: Map<string, unknown[]> })
      ._destructionListeners;
    for (const n of names) expect(registry.get(n)?.length, n).toBe(1);
    // a destroy still reaches the instance that stays
    await engine.nano.db.destroy('st-r1');
    await engine.nano.db.create('st-r1');
    expect((await engine.nano.db.get('st-r1')).doc_count).toBe(0);
    expect(registry.get('st-r1')?.length).toBe(1);
  });

  it('answers uncompressed even when asked for gzip (no compression middleware on loopback)', async () => {
    engine = await startEmbeddedEngine({ dataDir: dir });
    await engine.nano.db.create('st-z');
    const docs = Array.from({ length: 200 }, (_, i) => ({ _id: `d${i}`, text: 'x'.repeat(200) })); // well over compression's 1 KB threshold
    await engine.nano.use('st-z').bulk({ docs });
    const u = new URL(engine.url);
    const authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
    const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) =>
      request(
        bare(engine!, '/st-z/_all_docs?include_docs=true'),
        { headers: { authorization, 'accept-encoding': 'gzip, deflate, br' } },
        resolve,
      )
        .on('error', reject)
        .end(),
    );
    const body = Buffer.concat(await res.toArray());
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(body.toString('utf8')).rows).toHaveLength(200);
  });

  it('keeps its data on disk across a restart, with a fresh credential', async () => {
    engine = await startEmbeddedEngine({ dataDir: dir });
    const firstUrl = engine.url;
    await engine.nano.db.create('st-keep');
    await engine.nano.use<{ kept: boolean }>('st-keep').insert({ kept: true }, 'k');
    await engine.close();

    engine = await startEmbeddedEngine({ dataDir: dir });
    expect(engine.url).not.toBe(firstUrl);
    expect(await engine.nano.use<{ kept: boolean }>('st-keep').get('k')).toMatchObject({ kept: true });
    // the old credential no longer opens anything
    const old = new URL(firstUrl);
    const res = await fetch(bare(engine, '/st-keep'), {
      headers: { authorization: `Basic ${Buffer.from(`${old.username}:${old.password}`).toString('base64')}` },
    });
    expect(res.status).toBe(401);
  });

  it('runs validate_doc_update from design documents', async () => {
    engine = await startEmbeddedEngine({ dataDir: dir });
    await engine.nano.db.create('st-v');
    const db = engine.nano.use<Record<string, unknown>>('st-v');
    await db.insert({
      _id: '_design/v',
      validate_doc_update: "function (d) { if (d.ok !== true) throw({ forbidden: 'not ok' }); }",
    } as never);
    await expect(db.insert({ ok: false })).rejects.toMatchObject({ statusCode: 403 });
    await expect(db.insert({ ok: true })).resolves.toMatchObject({ ok: true });
  });

  it('finds a database created or destroyed a moment ago (its lookup is cached)', async () => {
    engine = await startEmbeddedEngine({ dataDir: dir });
    const auth = {
      authorization: `Basic ${Buffer.from(`${new URL(engine.url).username}:${new URL(engine.url).password}`).toString('base64')}`,
    };
    const status = async (db: string): Promise<number> =>
      (await fetch(bare(engine!, `/${db}`), { headers: auth })).status;
    expect(await status('st-later')).toBe(404);
    await engine.nano.db.create('st-later');
    expect(await status('st-later')).toBe(200);
    await engine.nano.db.destroy('st-later');
    expect(await status('st-later')).toBe(404);
    // a database opened in-process (as consolidation does) is a database too
    await new engine.PouchDB('st-in-process').info();
    expect(await status('st-in-process')).toBe(200);
    expect(await status('st-never')).toBe(404);
  });

  it('leaves no heartbeat timer behind when a longpoll is abandoned', async () => {
    engine = await startEmbeddedEngine({ dataDir: dir });
    await engine.nano.db.create('st-lp');
    const auth = {
      authorization: `Basic ${Buffer.from(`${new URL(engine.url).username}:${new URL(engine.url).password}`).toString('base64')}`,
    };
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    const polls = Array.from({ length: 10 }, () => new AbortController());
    const done = polls.map((c) =>
      fetch(bare(engine!, '/st-lp/_changes?feed=longpoll&since=now&heartbeat=60000'), {
        headers: auth,
        signal: c.signal,
      }).catch(() => null),
    );
    await new Promise((r) => setTimeout(r, 400));
    const during = timers();
    expect(during - before).toBeGreaterThanOrEqual(8); // each held longpoll has its heartbeat (other timers come and go)
    for (const c of polls) c.abort();
    await Promise.all(done);
    await new Promise((r) => setTimeout(r, 300));
    expect(during - timers()).toBeGreaterThanOrEqual(8);
    expect(timers()).toBeLessThanOrEqual(before + 1);
  });
});
