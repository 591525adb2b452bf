// Who may do what, through the real gateway over HTTP: a device writes only
// its employee's records and blobs and reads only its own inbox; reviewers
// read only the consolidated databases of their role; nothing is stored when
// a request is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDevice, toWire, type TestDevice } from '../../test-support/sealed-records.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

let t: TestServer;
let d1: TestDevice; // device d1 of employee e1
let d2: TestDevice; // device d2 of employee e2
const tok: Record<string, string> = {};
const e2Record: { id: string } = { id: '' };

beforeAll(async () => {
  t = await startTestServer();
  await t.server.provisioner.provisionEmployee({ employeeId: 'e1', teamId: 't1' });
  await t.server.provisioner.provisionEmployee({ employeeId: 'e2', teamId: 't2' });
  d1 = await createTestDevice('d1', 'e1');
  d2 = await createTestDevice('d2', 'e2');
  tok.d1 = t.identity.device('d1', 'e1', 't1', d1.signPublicKey).token;
  tok.d2 = t.identity.device('d2', 'e2', 't2', d2.signPublicKey).token;
  tok.member = t.identity.person('mia', 'member', { employeeId: 'e1' }).token;
  tok.admin = t.identity.person('ada', 'admin').token;
  tok.manager = t.identity.person('max', 'manager', { teams: ['t1'] }).token;
  tok.hr = t.identity.person('hal', 'hr').token;
  const r = toWire(d2.activity());
  e2Record.id = r._id;
  expect((await t.json(tok.d2!, 'POST', '/st-emp-e2-records/_bulk_docs', { docs: [r] })).status).toBe(201);
  await t.json(tok.admin!, 'POST', '/st-emp-e2-inbox/_bulk_docs', {
    docs: [{ _id: 'policy-e2', type: 'policy', target: 'e2', issuedAt: 1, doc: {} }],
  });
});
afterAll(async () => {
  await t?.close();
});

async function count(db: string): Promise<number> {
  return (await t.server.engine.nano.db.get(db)).doc_count;
}

describe('device access', () => {
  it('writes its own records', async () => {
    const res = await t.json(tok.d1!, 'POST', '/st-emp-e1-records/_bulk_docs', { docs: [toWire(d1.activity())] });
    expect(res.status).toBe(201);
    expect(res.body[0]).toMatchObject({ ok: true });
  });

  it("cannot write another employee's database, even with records that are valid there", async () => {
    const before = await count('st-emp-e2-records');
    const valid = await t.json(tok.d1!, 'POST', '/st-emp-e2-records/_bulk_docs', { docs: [toWire(d2.activity())] });
    expect(valid).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    const own = await t.json(tok.d1!, 'POST', '/st-emp-e2-records/_bulk_docs', { docs: [toWire(d1.activity())] });
    expect(own.status).toBe(403);
    expect(await count('st-emp-e2-records')).toBe(before);
  });

  it("cannot slip another employee's or another device's records into its own database", async () => {
    const before = await count('st-emp-e1-records');
    const theirs = await t.json(tok.d1!, 'POST', '/st-emp-e1-records/_bulk_docs', { docs: [toWire(d2.activity())] });
    expect(theirs).toMatchObject({ status: 400, body: { error: 'invalid_document' } });
    const sibling = await createTestDevice('d9', 'e1');
    const impersonated = await t.json(tok.d1!, 'POST', '/st-emp-e1-records/_bulk_docs', {
      docs: [toWire(sibling.activity())],
    });
    expect(impersonated.status).toBe(400);
    expect(impersonated.body.reason).toContain('sealed itself');
    expect(await count('st-emp-e1-records')).toBe(before);
  });

  it.each([
    ['GET', '/st-emp-e2-records'],
    ['GET', '/st-emp-e2-records/_changes'],
    ['GET', '/st-emp-e2-records/_all_docs'],
    ['GET', `/st-emp-e2-records/_all_docs?keys=KEYS`],
    ['POST', '/st-emp-e2-records/_all_docs'],
    ['POST', '/st-emp-e2-records/_bulk_get'],
    ['POST', '/st-emp-e2-records/_revs_diff'],
    ['GET', '/st-emp-e2-records/DOC'],
    ['GET', '/st-emp-e2-records/_local/checkpoint'],
    ['PUT', '/st-emp-e2-records/_local/checkpoint'],
    ['GET', '/st-emp-e2-inbox/_changes'],
    ['GET', '/st-emp-e2-inbox/policy-e2'],
    ['GET', '/st-emp-e2-blobs/_changes'],
    ['GET', '/st-org-records/_changes'],
    ['GET', '/st-team-t1-records/_changes'],
    ['GET', '/st-hr-attendance/_changes'],
    ['GET', '/st-org-directory/_changes'],
    ['GET', '/st-audit/_changes'],
    ['GET', '/st-system/_all_docs'],
  ])('is refused %s %s', async (method, rawPath) => {
    const path = rawPath
      .replace('KEYS', encodeURIComponent(JSON.stringify([e2Record.id])))
      .replace('DOC', encodeURIComponent(e2Record.id));
    const body =
      method === 'GET'
        ? undefined
        : path.endsWith('_bulk_get')
          ? { docs: [{ id: e2Record.id }] }
          : path.endsWith('_revs_diff')
            ? { [e2Record.id]: ['1-a'] }
            : path.includes('_local')
              ? { last_seq: 1 }
              : { keys: [e2Record.id] };
    const res = await t.json(tok.d1!, method, path, body);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'forbidden' });
    expect(JSON.stringify(res.body)).not.toContain('envelope');
  });

  it('reads its own inbox but cannot write it, and cannot delete its records', async () => {
    expect((await t.json(tok.d1!, 'GET', '/st-emp-e1-inbox/_changes?include_docs=true')).status).toBe(200);
    const policy = { _id: 'policy-x', type: 'policy', target: 'e1', issuedAt: 1, doc: {} };
    expect((await t.json(tok.d1!, 'POST', '/st-emp-e1-inbox/_bulk_docs', { docs: [policy] })).status).toBe(403);
    const rec = toWire(d1.activity());
    const put = await t.json(tok.d1!, 'POST', '/st-emp-e1-records/_bulk_docs', { docs: [rec] });
    const del = await t.json(tok.d1!, 'POST', '/st-emp-e1-records/_bulk_docs', {
      docs: [{ _id: rec._id, _rev: put.body[0].rev, _deleted: true }],
    });
    expect(del.status).toBe(403);
    expect((await t.json(tok.d1!, 'GET', `/st-emp-e1-records/${encodeURIComponent(rec._id)}`)).status).toBe(200);
  });

  it('reads its own records by key, by GET (RxDB conflict check) or POST', async () => {
    const rec = toWire(d1.activity());
    await t.json(tok.d1!, 'POST', '/st-emp-e1-records/_bulk_docs', { docs: [rec] });
    const keys = encodeURIComponent(JSON.stringify([rec._id, 'd1:000000000999']));
    const got = await t.json(tok.d1!, 'GET', `/st-emp-e1-records/_all_docs?include_docs=true&keys=${keys}`);
    expect(got.status).toBe(200);
    expect(got.body.rows[0].doc).toMatchObject({ _id: rec._id, envelope: rec.envelope });
    expect(got.body.rows[1]).toMatchObject({ key: 'd1:000000000999', error: 'not_found' });
    const posted = await t.json(tok.d1!, 'POST', '/st-emp-e1-records/_all_docs', {
      keys: [rec._id],
      include_docs: true,
      deleted: 'ok',
    });
    expect(posted.body.rows[0].doc._id).toBe(rec._id);
    expect((await t.json(tok.d1!, 'POST', '/st-emp-e1-records/_all_docs', { keys: ['_design/sealtime'] })).status).toBe(
      400,
    );
  });

  it('keeps replication checkpoints in its own databases', async () => {
    const put = await t.json(tok.d1!, 'PUT', '/st-emp-e1-records/_local/ckpt', { last_seq: 7, session_id: 'x' });
    expect(put.status).toBe(201);
    const got = await t.json(tok.d1!, 'GET', '/st-emp-e1-records/_local/ckpt');
    expect(got.body).toMatchObject({ last_seq: 7 });
  });
});

describe('people', () => {
  it.each([
    ['member', 'GET', '/st-emp-e1-records/_changes', 200],
    ['member', 'GET', '/st-emp-e2-records/_changes', 403],
    ['member', 'GET', '/st-org-records/_changes', 403],
    ['admin', 'GET', '/st-org-records/_changes', 200],
    ['admin', 'GET', '/st-emp-e2-records/_changes', 200],
    ['admin', 'GET', '/st-audit/_changes', 200],
    ['admin', 'GET', '/st-system/_changes', 403],
    ['manager', 'GET', '/st-team-t1-records/_changes', 200],
    ['manager', 'GET', '/st-team-t2-records/_changes', 403],
    ['manager', 'GET', '/st-org-records/_changes', 403],
    ['manager', 'GET', '/st-hr-attendance/_changes', 403],
    ['hr', 'GET', '/st-hr-attendance/_changes', 200],
    ['hr', 'GET', '/st-org-records/_changes', 403],
    ['hr', 'GET', '/st-team-t1-records/_changes', 403],
  ])('%s: %s %s -> %i', async (who, method, path, status) => {
    expect((await t.json(tok[who]!, method, path)).status).toBe(status);
  });

  it('admins write inboxes but not records, nor the audit trail', async () => {
    const policy = { _id: 'policy-e1', type: 'policy', target: 'e1', issuedAt: 2, doc: { v: 1 } };
    expect((await t.json(tok.admin!, 'POST', '/st-emp-e1-inbox/_bulk_docs', { docs: [policy] })).status).toBe(201);
    expect(
      (await t.json(tok.admin!, 'POST', '/st-emp-e1-records/_bulk_docs', { docs: [toWire(d1.activity())] })).status,
    ).toBe(403);
    expect(
      (await t.json(tok.admin!, 'POST', '/st-audit/_bulk_docs', { docs: [{ _id: 'fake', type: 'audit' }] })).status,
    ).toBe(403);
  });

  it('HR writes correction decisions only', async () => {
    const decision = { _id: 'correction-decision:1', type: 'correction-decision', target: 'e1', issuedAt: 3, doc: {} };
    expect((await t.json(tok.hr!, 'POST', '/st-emp-e1-inbox/_bulk_docs', { docs: [decision] })).status).toBe(201);
    const policy = { _id: 'policy-hr', type: 'policy', target: 'e1', issuedAt: 3, doc: {} };
    expect((await t.json(tok.hr!, 'POST', '/st-emp-e1-inbox/_bulk_docs', { docs: [policy] })).status).toBe(403);
  });

  it("a manager writes and reads back manual time decisions in their team's inboxes only", async () => {
    const md = (target: string) => ({
      _id: 'correction-decision:manual-time:mt-1',
      type: 'correction-decision',
      target,
      issuedAt: 4,
      doc: {},
    });
    expect((await t.json(tok.manager!, 'POST', '/st-emp-e1-inbox/_bulk_docs', { docs: [md('e1')] })).status).toBe(201);
    expect((await t.json(tok.manager!, 'GET', '/st-emp-e1-inbox/correction-decision:manual-time:mt-1')).status).toBe(
      200,
    );
    const before = await count('st-emp-e2-inbox');
    expect((await t.json(tok.manager!, 'POST', '/st-emp-e2-inbox/_bulk_docs', { docs: [md('e2')] })).status).toBe(403);
    expect(await count('st-emp-e2-inbox')).toBe(before);
    const correction = { ...md('e1'), _id: 'correction-decision:cr-9' };
    expect((await t.json(tok.manager!, 'POST', '/st-emp-e1-inbox/_bulk_docs', { docs: [correction] })).status).toBe(
      403,
    );
    expect((await t.json(tok.manager!, 'GET', '/st-emp-e1-inbox/_changes')).status).toBe(403);
  });
});

describe('authentication', () => {
  it('answers 401 without, or with an unknown or revoked, credential', async () => {
    expect((await t.json(null, 'GET', '/st-emp-e1-records')).status).toBe(401);
    expect((await t.json('not-a-token', 'GET', '/st-emp-e1-records')).status).toBe(401);
    const { token } = t.identity.device('d5', 'e1');
    expect((await t.json(token, 'GET', '/st-emp-e1-records')).status).toBe(200);
    t.identity.revoke(token);
    const res = await t.json(token, 'GET', '/st-emp-e1-records');
    expect(res).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
  });

  it('answers 503 while the identity store is down, then serves again', async () => {
    t.identity.failWith = new Error('st-system unreachable');
    try {
      const res = await t.json(tok.d1!, 'GET', '/st-emp-e1-records');
      expect(res).toMatchObject({ status: 503, body: { error: 'service_unavailable' } });
    } finally {
      t.identity.failWith = null;
    }
    expect((await t.json(tok.d1!, 'GET', '/st-emp-e1-records')).status).toBe(200);
  });
});
