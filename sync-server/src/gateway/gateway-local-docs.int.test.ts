// Replication checkpoints and revision probes through the real gateway:
// `_local` only where one replicates into, per principal (one cannot read or
// overwrite another's), at most 64 per database and 16 KB each; `_revs_diff`
// only with full read (it tells whether a document exists).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { MAX_LOCAL_DOCS } from './local-docs.js';

let t: TestServer;
const tok: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestServer();
  await t.server.provisioner.provisionEmployee({ employeeId: 'e1', teamId: 't1' });
  tok.d1 = t.identity.device('d1', 'e1', 't1').token;
  tok.d2 = t.identity.device('d2', 'e1', 't1').token;
  tok.admin = t.identity.person('ada', 'admin').token;
  tok.manager = t.identity.person('max', 'manager', { teams: ['t1'] }).token;
  tok.hr = t.identity.person('hal', 'hr').token;
  const ring = await t.json(tok.admin!, 'POST', '/st-emp-e1-inbox/_bulk_docs', {
    docs: [{ _id: 'keyring:employee:e1', type: 'keyring', target: 'e1', issuedAt: 1, doc: {} }],
  });
  expect(ring.status).toBe(201);
});
afterAll(async () => {
  await t?.close();
});

/** Whether the engine holds the checkpoint, asked behind the gateway's back. */
const storedStatus = async (db: string, id: string): Promise<number> => {
  try {
    await t.server.engine.nano.use(db).get(id);
    return 200;
  } catch (e) {
    return (e as { statusCode?: number }).statusCode ?? 0;
  }
};

describe('_local checkpoints', () => {
  it.each([
    ['a device into its read-only inbox', 'd1', 'st-emp-e1-inbox', 'device.d1'],
    ['HR into an inbox', 'hr', 'st-emp-e1-inbox', 'user.hal'],
    ["a manager into a team member's blobs", 'manager', 'st-emp-e1-blobs', 'user.max'],
    ['a manager into a team database it reads', 'manager', 'st-team-t1-records', 'user.max'],
  ])('refuses %s', async (_what, who, db, owner) => {
    const res = await t.json(tok[who]!, 'PUT', `/${db}/_local/cp`, { last_seq: 1 });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: 'forbidden', reason: expect.stringContaining('checkpoints') });
    expect(await storedStatus(db, `_local/${owner}~cp`)).toBe(404);
    expect(await storedStatus(db, '_local/cp')).toBe(404);
  });

  it("keeps each principal's checkpoints apart, under the id the client chose", async () => {
    const put = await t.json(tok.d1!, 'PUT', '/st-emp-e1-records/_local/same-id', { last_seq: 7, session_id: 'a' });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ ok: true, id: '_local/same-id' });
    expect(await storedStatus('st-emp-e1-records', '_local/device.d1~same-id')).toBe(200);
    const got = await t.json(tok.d1!, 'GET', '/st-emp-e1-records/_local/same-id');
    expect(got.body).toMatchObject({ _id: '_local/same-id', last_seq: 7 });
    // another device of the same employee neither sees nor overwrites it
    expect((await t.json(tok.d2!, 'GET', '/st-emp-e1-records/_local/same-id')).status).toBe(404);
    expect((await t.json(tok.d2!, 'PUT', '/st-emp-e1-records/_local/same-id', { last_seq: 1 })).status).toBe(201);
    expect((await t.json(tok.d1!, 'GET', '/st-emp-e1-records/_local/same-id')).body.last_seq).toBe(7);
    // an update with the current rev, as PouchDB's checkpointer does
    const again = await t.json(tok.d1!, 'PUT', '/st-emp-e1-records/_local/same-id', { ...got.body, last_seq: 9 });
    expect(again.status).toBe(201);
    expect((await t.json(tok.d1!, 'GET', '/st-emp-e1-records/_local/same-id')).body.last_seq).toBe(9);
  });

  it('refuses a checkpoint over 16 KB, and more than 64 per database', async () => {
    const big = await t.json(tok.admin!, 'PUT', '/st-emp-e1-inbox/_local/big', { pad: 'x'.repeat(17 * 1024) });
    expect(big.status).toBe(413);
    for (let i = 0; i < MAX_LOCAL_DOCS; i++)
      expect((await t.json(tok.admin!, 'PUT', `/st-emp-e1-inbox/_local/cp-${i}`, { last_seq: i })).status).toBe(201);
    const over = await t.json(tok.admin!, 'PUT', '/st-emp-e1-inbox/_local/one-too-many', { last_seq: 1 });
    expect(over.status).toBe(403);
    expect(over.body.reason).toContain(`at most ${MAX_LOCAL_DOCS}`);
    // the ones already there can still be updated, and another database has its own count
    const cur = await t.json(tok.admin!, 'GET', '/st-emp-e1-inbox/_local/cp-0');
    expect(
      (await t.json(tok.admin!, 'PUT', '/st-emp-e1-inbox/_local/cp-0', { ...cur.body, last_seq: 100 })).status,
    ).toBe(201);
    expect((await t.json(tok.admin!, 'PUT', '/st-org-directory/_local/cp-0', { last_seq: 1 })).status).toBe(201);
  });
});

describe('_revs_diff', () => {
  it('is refused to HR in an inbox (it would tell whether a key ring exists), allowed with full read', async () => {
    const probe = { 'keyring:employee:e1': ['1-0123456789abcdef0123456789abcdef'] };
    const hr = await t.json(tok.hr!, 'POST', '/st-emp-e1-inbox/_revs_diff', probe);
    expect(hr.status).toBe(403);
    expect(JSON.stringify(hr.body)).not.toContain('missing');
    const admin = await t.json(tok.admin!, 'POST', '/st-emp-e1-inbox/_revs_diff', probe);
    expect(admin.status).toBe(200);
    expect(admin.body['keyring:employee:e1'].missing).toHaveLength(1);
  });
});
