// The replication protocol end to end through the gateway: real PouchDB and
// RxDB clients on disk, real HTTP on loopback, the embedded engine on disk
// (and the CouchDB in COUCHDB_URL when set).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRxDatabase, type RxCollection, type RxDatabase } from 'rxdb';
import { replicateCouchDB } from 'rxdb/plugins/replication-couchdb';
import { SEALTIME_COLLECTIONS, type BlobDoc, type InboxDoc, type RecordDoc } from '@sealtime/shared';
import { getRxStorageLevelDB } from '@sealtime/shared/node';
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, eventually, uniqueId } from '../../test-support/engine-fixture.js';
import { localPouch, remoteDb } from '../../test-support/pouch-client.js';
import { createTestDevice, toWire } from '../../test-support/sealed-records.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { dbNames } from '../provisioning/db-names.js';

type AgentDb = RxDatabase<{
  records: RxCollection<RecordDoc>;
  blobs: RxCollection<BlobDoc>;
  inbox: RxCollection<InboxDoc>;
}>;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'sealtime-client-'));
  cleanups.push(() => rm(d, { recursive: true, force: true }));
  return d;
}

async function server(kind: (typeof ENGINE_KINDS)[number]): Promise<TestServer> {
  const t = await startTestServer({ engine: kind === 'couchdb' ? 'env' : 'embedded' });
  cleanups.push(() => t.close());
  return t;
}

async function employee(t: TestServer, teamId: string | null): Promise<string> {
  const id = uniqueId('emp');
  await t.server.provisioner.provisionEmployee({ employeeId: id, teamId });
  cleanups.push(() => t.server.provisioner.removeEmployee(id).catch(() => undefined));
  return id;
}

// as the agent's fetch does (authorized-fetch.ts): a non-2xx answer is an error, which RxDB's pull loop retries;
// handed on as a success, the answer for a database the cleanup deleted became an unhandled rejection (RxDB read its .results)
const bearer =
  (token: string) =>
  async (url: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const res = await fetch(url, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
    });
    if (res.status >= 400) throw new Error(`HTTP ${res.status} from the gateway`);
    // a longpoll's 200 is sent with its first heartbeat: the database deleted meanwhile ends it with an error body
    if (String(url instanceof Request ? url.url : url).includes('feed=longpoll')) {
      const body = (await res
        .clone()
        .json()
        .catch(() => null)) as { results?: unknown } | null;
      if (!Array.isArray(body?.results)) throw new Error('the changes feed answer was an error');
    }
    return res;
  };

describe.each(ENGINE_KINDS)('replication through the gateway (%s engine)', (kind) => {
  it('a PouchDB client pushes sealed records and pulls them back unchanged', async () => {
    const t = await server(kind);
    const emp = await employee(t, null);
    const dev = await createTestDevice('d1', emp);
    const { token } = t.identity.device('d1', emp, null, dev.signPublicKey);
    const Local = localPouch(await tempDir());
    const source = new Local('agent') as unknown as {
      bulkDocs(d: object[]): Promise<unknown>;
      allDocs(o: object): Promise<{ rows: Array<{ id: string; doc: Record<string, unknown> }> }>;
      close(): Promise<void>;
    };
    const target = new Local('copy') as unknown as typeof source;
    cleanups.push(
      () => source.close(),
      () => target.close(),
    );
    await source.bulkDocs(Array.from({ length: 120 }, () => toWire(dev.activity())));

    const remote = remoteDb(`${t.url}/${dbNames.employeeRecords(emp)}`, token);
    const pushed = (await Local.replicate(source as never, remote, {})) as unknown as {
      ok: boolean;
      docs_written: number;
      errors: unknown[];
    };
    expect(pushed).toMatchObject({ ok: true, docs_written: 120, errors: [] });
    const pulled = (await Local.replicate(remote, target as never, {})) as unknown as { docs_written: number };
    expect(pulled.docs_written).toBe(120);
    const strip = (rows: Array<{ doc: Record<string, unknown> }>) =>
      rows.map(({ doc }) => ({ ...doc, _rev: undefined }));
    const a = await source.allDocs({ include_docs: true });
    const b = await target.allDocs({ include_docs: true });
    expect(strip(b.rows)).toEqual(strip(a.rows));
    const again = (await Local.replicate(source as never, remote, {})) as unknown as { docs_written: number };
    expect(again.docs_written).toBe(0);
  });

  it('an RxDB agent pushes records and blobs, and receives inbox documents live, never design documents', async () => {
    const t = await server(kind);
    const emp = await employee(t, null);
    const dev = await createTestDevice('d1', emp);
    const { token } = t.identity.device('d1', emp, null, dev.signPublicKey);
    const admin = t.identity.person(uniqueId('boss'), 'admin');
    const db = (await createRxDatabase({
      name: 'agent',
      storage: getRxStorageLevelDB({ directory: await tempDir() }),
      multiInstance: false,
    })) as unknown as AgentDb;
    cleanups.push(() => db.close());
    await db.addCollections(SEALTIME_COLLECTIONS);
    await db.records.bulkInsert(Array.from({ length: 40 }, () => dev.activity()));
    await db.blobs.insert(dev.blob(50_000));

    const url = (name: string) => `${t.url}/${name}/`;
    const fetchAs = bearer(token);
    const states = [
      replicateCouchDB<RecordDoc>({
        replicationIdentifier: 'records',
        collection: db.records,
        url: url(dbNames.employeeRecords(emp)),
        fetch: fetchAs,
        live: true,
        push: { batchSize: 25 },
      }),
      replicateCouchDB<BlobDoc>({
        replicationIdentifier: 'blobs',
        collection: db.blobs,
        url: url(dbNames.employeeBlobs(emp)),
        fetch: fetchAs,
        live: true,
        push: { batchSize: 5 },
      }),
      replicateCouchDB<InboxDoc>({
        replicationIdentifier: 'inbox',
        collection: db.inbox,
        url: url(dbNames.employeeInbox(emp)),
        fetch: fetchAs,
        live: true,
        pull: { heartbeat: 1000 },
      }),
    ];
    const errors: string[] = [];
    for (const s of states) s.error$.subscribe((e) => errors.push(String(e.message).slice(0, 200)));
    cleanups.push(() => Promise.all(states.map((s) => s.cancel())));
    await Promise.all(states.map((s) => s.awaitInSync()));

    const remoteIds = await t.json(admin.token, 'GET', `/${dbNames.employeeRecords(emp)}/_all_docs`);
    expect(remoteIds.status).toBe(200);
    expect(remoteIds.body.rows).toHaveLength(40);
    const blobs = await t.json(admin.token, 'GET', `/${dbNames.employeeBlobs(emp)}/_all_docs`);
    expect(blobs.body.rows).toHaveLength(1);

    const policy = {
      _id: 'policy-1',
      type: 'policy',
      target: emp,
      issuedAt: 1_764_000_000_000,
      doc: { screenshots: false },
    };
    const wrote = await t.json(admin.token, 'POST', `/${dbNames.employeeInbox(emp)}/_bulk_docs`, { docs: [policy] });
    expect(wrote.status).toBe(201);
    const got = await eventually(
      async () => (await db.inbox.findOne('policy-1').exec()) ?? null,
      15_000,
      'policy pulled live',
    );
    expect(got.toJSON()).toMatchObject({ type: 'policy', target: emp, doc: { screenshots: false } });
    expect((await db.inbox.find().exec()).map((d) => d.id)).toEqual(['policy-1']); // no _design/sealtime

    // a record written later goes up by itself
    const late = dev.activity();
    await db.records.insert(late);
    await eventually(
      async () =>
        (await t.json(admin.token, 'GET', `/${dbNames.employeeRecords(emp)}/${encodeURIComponent(late.id)}`)).status ===
        200,
      15_000,
      'late record pushed',
    );
    expect(errors).toEqual([]);
  });

  it('reviewers replicate consolidated databases read-only; managers fetch single screenshots on demand', async () => {
    const t = await server(kind);
    const team = uniqueId('team');
    const emp = await employee(t, team);
    if (kind === 'couchdb')
      cleanups.push(() => t.server.engine.nano.db.destroy(dbNames.teamRecords(team)).catch(() => undefined));
    const dev = await createTestDevice('d1', emp);
    const { token } = t.identity.device('d1', emp, team, dev.signPublicKey);
    const recs = [toWire(dev.activity()), toWire(dev.attendance())];
    const blob = toWire(dev.blob(10_000));
    expect((await t.json(token, 'POST', `/${dbNames.employeeRecords(emp)}/_bulk_docs`, { docs: recs })).status).toBe(
      201,
    );
    expect((await t.json(token, 'POST', `/${dbNames.employeeBlobs(emp)}/_bulk_docs`, { docs: [blob] })).status).toBe(
      201,
    );

    const manager = t.identity.person(uniqueId('mgr'), 'manager', { teams: [team] });
    const otherManager = t.identity.person(uniqueId('mgr'), 'manager', { teams: ['elsewhere'] });
    const Local = localPouch(await tempDir());
    const copy = new Local('team-copy') as unknown as {
      allDocs(): Promise<{ rows: Array<{ id: string }> }>;
      close(): Promise<void>;
    };
    cleanups.push(() => copy.close());
    await eventually(
      async () => {
        const r = await Local.replicate(
          remoteDb(`${t.url}/${dbNames.teamRecords(team)}`, manager.token),
          copy as never,
          {},
        );
        const rows = (await copy.allDocs()).rows.map((row) => row.id);
        // activity and attendance are both the team's (its manager reviews worked time)
        return (r as unknown as { ok: boolean }).ok && recs.every((rec) => rows.includes(rec._id));
      },
      20_000,
      'team consolidation replicated to the manager',
    );

    const blobPath = `/${dbNames.employeeBlobs(emp)}/${encodeURIComponent(blob._id)}`;
    const fetched = await t.json(manager.token, 'GET', blobPath);
    expect(fetched.status).toBe(200);
    expect(fetched.body.envelope).toBe(blob.envelope);
    expect((await t.json(manager.token, 'GET', `/${dbNames.employeeBlobs(emp)}/_changes`)).status).toBe(403); // no bulk listing
    expect((await t.json(otherManager.token, 'GET', blobPath)).status).toBe(403);
    expect(
      (await t.json(manager.token, 'POST', `/${dbNames.teamRecords(team)}/_bulk_docs`, { docs: [recs[0]] })).status,
    ).toBe(403); // read-only
  });
});
