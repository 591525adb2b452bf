// The known faults of express-pouchdb (DESIGN.md decision 3), each shown to be
// unreachable through the gateway, with the embedded engine behind it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDevice, toWire, type TestDevice } from '../../test-support/sealed-records.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

let t: TestServer;
let dev: TestDevice;
let device: string;
let admin: string;
let e2Doc: string;

beforeAll(async () => {
  t = await startTestServer({ limits: { maxLongpollMs: 1500, minHeartbeatMs: 100 } });
  await t.server.provisioner.provisionEmployee({ employeeId: 'e1', teamId: null });
  await t.server.provisioner.provisionEmployee({ employeeId: 'e2', teamId: null });
  dev = await createTestDevice('d1', 'e1');
  device = t.identity.device('d1', 'e1', null, dev.signPublicKey).token;
  admin = t.identity.person('ada', 'admin').token;
  const other = await createTestDevice('d2', 'e2');
  const rec = toWire(other.activity());
  e2Doc = rec._id;
  await t.server.engine.nano.use(`st-emp-e2-records`).insert(rec as never);
});
afterAll(async () => {
  await t?.close();
});

async function serving(): Promise<void> {
  expect((await t.json(device, 'GET', '/st-emp-e1-records')).status).toBe(200);
}

describe('express-pouchdb faults are unreachable', () => {
  it('a non-admin PUT /db (which crashes express-pouchdb) is refused before the engine', async () => {
    const dbsBefore = await t.server.engine.nano.db.list();
    for (const [who, path] of [
      [device, '/st-emp-e1-records'],
      [device, '/st-emp-e9-records'],
      [admin, '/st-emp-e9-records'],
      [null, '/st-emp-e9-records'],
    ] as const) {
      const res = await t.json(who, 'PUT', path);
      expect(res.status).toBe(405);
      expect(res.body).toMatchObject({ error: 'method_not_allowed' });
    }
    expect(await t.server.engine.nano.db.list()).toEqual(dbsBefore);
    await serving();
  });

  it('_bulk_get (which ignores _security in express-pouchdb) is authorised per document', async () => {
    const res = await t.json(device, 'POST', '/st-emp-e2-records/_bulk_get?revs=true', { docs: [{ id: e2Doc }] });
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).not.toContain('envelope');
    // and on its own database it works as replication expects
    const mine = toWire(dev.activity());
    await t.json(device, 'POST', '/st-emp-e1-records/_bulk_docs', { docs: [mine] });
    const ok = await t.json(device, 'POST', '/st-emp-e1-records/_bulk_get?revs=true', { docs: [{ id: mine._id }] });
    expect(ok.status).toBe(200);
    expect(ok.body.results[0].docs[0].ok).toMatchObject({ _id: mine._id, envelope: mine.envelope });
  });

  it('_find (which ignores _security in express-pouchdb) is not reachable at all', async () => {
    for (const db of ['st-emp-e2-records', 'st-emp-e1-records']) {
      const res = await t.json(device, 'POST', `/${db}/_find`, { selector: { employeeId: 'e2' } });
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('envelope');
    }
    expect((await t.json(admin, 'POST', '/st-org-records/_index', { index: { fields: ['kind'] } })).status).toBe(404);
  });

  it('a database without _security (open in express-pouchdb) stays closed', async () => {
    // created behind provisioning's back: no _security, no design document
    await t.server.engine.nano.db.create('st-emp-ghost-records');
    const ghost = await createTestDevice('dg', 'ghost');
    await t.server.engine.nano.use('st-emp-ghost-records').insert(toWire(ghost.activity()) as never);
    expect((await t.json(null, 'GET', '/st-emp-ghost-records/_changes?include_docs=true')).status).toBe(401);
    expect((await t.json(device, 'GET', '/st-emp-ghost-records/_changes?include_docs=true')).status).toBe(403);
    expect(
      (await t.json(device, 'POST', '/st-emp-ghost-records/_bulk_docs', { docs: [toWire(dev.activity())] })).status,
    ).toBe(403);
    // and the engine itself answers nobody without its credential
    const bare = new URL(t.server.engine.url);
    const direct = await fetch(`http://${bare.host}/st-emp-ghost-records/_all_docs?include_docs=true`);
    expect(direct.status).toBe(401);
  });

  it('a longpoll timeout (ignored by express-pouchdb) is honoured by the gateway', async () => {
    const started = Date.now();
    const res = await t.json(device, 'GET', '/st-emp-e1-inbox/_changes?feed=longpoll&since=now&timeout=400');
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([]);
    expect(res.body.last_seq).toBeDefined();
    expect(took).toBeGreaterThanOrEqual(380);
    expect(took).toBeLessThan(1500);

    // without a timeout the gateway's own cap (1.5 s here) ends it
    const s2 = Date.now();
    const capped = await t.json(device, 'GET', '/st-emp-e1-inbox/_changes?feed=longpoll&since=now&heartbeat=10000');
    expect(capped.status).toBe(200);
    expect(Date.now() - s2).toBeLessThan(4000);
    await serving();
  });

  it('a longpoll returns as soon as a change comes, and heartbeats while it waits', async () => {
    const info = await t.json(device, 'GET', '/st-emp-e1-inbox');
    const since = info.body.update_seq;
    const started = Date.now();
    const raw = t
      .fetchAs(
        device,
        `/st-emp-e1-inbox/_changes?feed=longpoll&since=${since}&timeout=10000&heartbeat=200&include_docs=true`,
      )
      .then((r) => r.text());
    await new Promise((r) => setTimeout(r, 700));
    await t.json(admin, 'POST', '/st-emp-e1-inbox/_bulk_docs', {
      docs: [{ _id: 'policy-live', type: 'policy', target: 'e1', issuedAt: 1, doc: {} }],
    });
    const text = await raw;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(text.startsWith('\n')).toBe(true); // heartbeats came before the answer
    const body = JSON.parse(text);
    expect(body.results.map((r: { id: string }) => r.id)).toEqual(['policy-live']);
  });

  it('a body without a JSON content type (stored empty by express-pouchdb) is refused and nothing is stored', async () => {
    const before = (await t.server.engine.nano.db.get('st-emp-e1-records')).doc_count;
    const doc = toWire(dev.activity());
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) {
      const res = await t.fetchAs(device, '/st-emp-e1-records/_bulk_docs', {
        method: 'POST',
        headers: type ? { 'content-type': type } : {},
        body: JSON.stringify({ docs: [doc] }),
      });
      expect(res.status, type).toBe(415);
      expect(await res.json()).toMatchObject({ error: 'unsupported_media_type' });
    }
    const local = await t.fetchAs(device, '/st-emp-e1-records/_local/ckpt-form', {
      method: 'PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'last_seq=5',
    });
    expect(local.status).toBe(415);
    expect((await t.json(device, 'GET', '/st-emp-e1-records/_local/ckpt-form')).status).toBe(404);
    expect((await t.server.engine.nano.db.get('st-emp-e1-records')).doc_count).toBe(before);
  });
});
