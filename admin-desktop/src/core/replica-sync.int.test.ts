// The replica's pull (replica-sync.ts + replica-pull.ts) against a real
// server: record-shaped docs written straight into st-org-records (the
// replica stores ciphertext unopened, so their envelopes need not open),
// read back through the gateway page by page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { engineWriter } from '../../../test-support/org-fixture/engine-writer.js';
import { ServerClient } from '../admin/node/server-client.js';
import {
  ROOT_PASSWORD,
  startAdminTestServer,
  waitFor,
  type AdminTestServer,
} from '../admin/test-support/admin-server.js';
import { openReplicaStore, type ReplicaStore } from './replica-store.js';
import { startReplicaSync, toReplicaDoc, type ReplicaSync } from './replica-sync.js';

const DB = 'st-org-records';
const H = Date.UTC(2026, 10, 2, 8);
let srv: AdminTestServer;
let token: string;
let write: (docs: Array<Record<string, unknown>>) => Promise<void>;
let written = 0;
const dirs: string[] = [];

/** n more record-shaped docs (ids in sealing order, as devices make them). */
async function addRecords(n: number): Promise<string[]> {
  const docs = Array.from({ length: n }, () => {
    const i = written++;
    return {
      _id: `dev${i % 3}:${String(i).padStart(12, '0')}`,
      _rev: `1-${randomBytes(16).toString('hex')}`,
      employeeId: `emp${i % 3}`,
      deviceId: `dev${i % 3}`,
      seq: i,
      class: 'activity',
      hour: H + Math.floor(i / 10) * 3_600_000,
      envelope: randomBytes(120).toString('base64url'),
    };
  });
  await write(docs);
  return docs.map((d) => d._id);
}

beforeAll(async () => {
  srv = await startAdminTestServer();
  const w = engineWriter(
    (srv.s as unknown as { server: { engine: Parameters<typeof engineWriter>[0] } }).server.engine,
  );
  write = (docs) => w(DB, docs);
  await addRecords(45);
  // a design document: the gateway leaves it out of every page
  await write([{ _id: '_design/x', _rev: '1-aaaa', views: {} }]);
  token = (await new ServerClient({ url: srv.url, token: null }).login('root', ROOT_PASSWORD)).token;
}, 120_000);
afterAll(async () => {
  await srv?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function newStore(): Promise<{ store: ReplicaStore; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'st-replica-sync-'));
  dirs.push(dir);
  return { store: await openReplicaStore(dir), dir };
}

/** A sync that records the `since` of each `_changes` request and how many rows the answers held. */
function sync(store: ReplicaStore, log: { since: string[]; rows: number }) {
  const baseFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = new URL(String(input));
    const res = await fetch(input, init);
    if (url.pathname.endsWith('/_changes')) {
      log.since.push(url.searchParams.get('since') ?? '');
      log.rows += ((await res.clone().json()) as { results: unknown[] }).results.length;
    }
    return res;
  }) as typeof fetch;
  return startReplicaSync({
    serverUrl: srv.url,
    token,
    sources: [DB],
    collection: store.db.replica,
    batchSize: 7,
    longpollMs: 1000,
    baseFetch,
  });
}

const ids = async (store: ReplicaStore) => (await store.db.replica.find().exec()).map((d) => d.id).sort();
const serverIds = async () =>
  (await new ServerClient({ url: srv.url, token }).allDocs<Record<string, unknown>>(DB))
    .map((d) => String(d._id))
    .filter((id) => !id.startsWith('_design/'))
    .sort();

describe('replica pull', () => {
  let s: ReplicaSync | null = null;
  let store: ReplicaStore;
  let dir: string;

  it('pulls every record page by page, leaves design documents out, and counts each once', async () => {
    ({ store, dir } = await newStore());
    const log = { since: [] as string[], rows: 0 };
    s = sync(store, log);
    await s.awaitInSync();
    expect(await ids(store)).toEqual(await serverIds());
    expect(s.status()[0]).toMatchObject({ db: DB, pulled: 45, online: true, lastError: null });
    expect(log.since.length).toBeGreaterThanOrEqual(7); // 45 rows in pages of 7
  });

  it('brings a record written later without being asked (long poll), and awaitInSync sees a write made just before it', async () => {
    const fresh = await addRecords(4);
    await waitFor('the live pull to bring the new records', async () => {
      const have = await ids(store);
      return fresh.every((id) => have.includes(id));
    });
    const more = await addRecords(3);
    await s!.awaitInSync(); // no waiting on our side: the call itself must see them
    expect(await ids(store)).toEqual(expect.arrayContaining(more));
    expect(s!.status()[0]!.pulled).toBe(52);
  });

  it('resumes from its checkpoint after a restart: only what came meanwhile is read again', async () => {
    await s!.stop();
    s = null;
    await store.close();
    const later = await addRecords(5);
    store = await openReplicaStore(dir);
    const log = { since: [] as string[], rows: 0 };
    s = sync(store, log);
    await s.awaitInSync();
    expect(await ids(store)).toEqual(await serverIds());
    expect(await ids(store)).toEqual(expect.arrayContaining(later));
    expect(log.since[0]).not.toBe('0');
    expect(log.rows).toBe(5);
    expect(s.status()[0]!.pulled).toBe(57);
    await s.stop();
    s = null;
    await store.close();
  });

  it('does not write again a row already stored unchanged (the recent window’s): no change event re-opens its day', async () => {
    const { store: st } = await newStore();
    const server = await new ServerClient({ url: srv.url, token }).allDocs<Record<string, unknown>>(DB);
    const early = server.filter((d) => !String(d._id).startsWith('_design/')).slice(0, 10);
    await st.db.replica.bulkUpsert(early.map((d) => toReplicaDoc(DB, d)).map(({ _deleted, ...row }) => row));
    const touched: string[] = [];
    const sub = st.db.replica.$.subscribe((ev) => touched.push(ev.documentId));
    const x = startReplicaSync({ serverUrl: srv.url, token, sources: [DB], collection: st.db.replica, batchSize: 7 });
    try {
      await x.awaitInSync();
      expect(await ids(st)).toEqual(await serverIds());
      expect(touched.filter((id) => early.some((d) => d._id === id))).toEqual([]);
      // every other record once, the design doc never
      expect(touched.length).toBe(server.filter((d) => !String(d._id).startsWith('_design/')).length - early.length);
    } finally {
      sub.unsubscribe();
      await x.stop();
      await st.close();
    }
  });

  it('reports a failing server and recovers when it answers again', async () => {
    const { store: st } = await newStore();
    let failing = true;
    const baseFetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
      if (failing) return new Response(JSON.stringify({ error: 'x', reason: 'down for a test' }), { status: 503 });
      return fetch(input, init);
    }) as typeof fetch;
    const x = startReplicaSync({
      serverUrl: srv.url,
      token,
      sources: [DB],
      collection: st.db.replica,
      minRetryMs: 50,
      maxRetryMs: 200,
      baseFetch,
    });
    try {
      const st0 = await waitFor('the failure to show', async () => x.status()[0]!.lastError ?? undefined);
      expect(st0.message).toMatch(/HTTP 503/);
      expect(x.status()[0]!.online).toBe(false);
      failing = false;
      await x.awaitInSync();
      expect(await ids(st)).toEqual(await serverIds());
      expect(x.status()[0]).toMatchObject({ online: true, lastError: null });
    } finally {
      await x.stop();
      await st.close();
    }
  });
});
