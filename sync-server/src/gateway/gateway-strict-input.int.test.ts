// Input the engines would take or choke on, refused by the real gateway with a
// clear 400: JSON nested 100 000 deep (was a 500 "Maximum call stack size
// exceeded"), invalid UTF-8 (was stored as U+FFFD with a 201), and every
// malformed `_changes` parameter (was a 200). Nothing is stored; the server
// keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDevice, toWire, type TestDevice } from '../../test-support/sealed-records.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

let t: TestServer;
let dev: TestDevice;
let device: string;
let admin: string;
const RECORDS = '/st-emp-e1-records';
const INBOX = '/st-emp-e1-inbox';

beforeAll(async () => {
  t = await startTestServer();
  await t.server.provisioner.provisionEmployee({ employeeId: 'e1', teamId: null });
  dev = await createTestDevice('d1', 'e1');
  device = t.identity.device('d1', 'e1', null, dev.signPublicKey).token;
  admin = t.identity.person('ada', 'admin').token;
});
afterAll(async () => {
  await t?.close();
});

const count = async (db: string): Promise<number> => (await t.server.engine.nano.db.get(db)).doc_count;

async function stillServes(): Promise<void> {
  expect((await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, { docs: [toWire(dev.activity())] })).status).toBe(201);
}

async function send(
  token: string,
  path: string,
  body: string | Uint8Array,
): Promise<{ status: number; body: { error?: string; reason?: string } }> {
  const res = await t.fetchAs(token, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: res.status, body: (await res.json()) as { error?: string; reason?: string } };
}

describe('strict input', () => {
  it('refuses JSON nested 100 000 deep with 400, wherever it is sent', async () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const before = await count('st-emp-e1-records');
    const inboxBefore = await count('st-emp-e1-inbox');
    for (const [path, body] of [
      [`${RECORDS}/_bulk_docs`, `{"docs":[{"_id":"d1:000000000001","x":${deep(100_000)}}]}`],
      [`${RECORDS}/_bulk_docs`, `{"docs":${deep(100_000)}}`],
      [`${RECORDS}/_revs_diff`, `{"a":${deep(100_000)}}`],
      [
        `${INBOX}/_bulk_docs`,
        `{"docs":[{"_id":"policy:organisation:acme","type":"policy","target":"e1","issuedAt":1,"doc":{"x":${deep(70)}}}]}`,
      ],
    ] as const) {
      const res = await send(path.startsWith(INBOX) ? admin : device, path, body);
      expect(res.status, path).toBe(400);
      expect(res.body).toMatchObject({ error: 'bad_request', reason: expect.stringContaining('nest at most') });
    }
    expect(await count('st-emp-e1-records')).toBe(before);
    expect(await count('st-emp-e1-inbox')).toBe(inboxBefore);
    await stillServes();
  });

  it('refuses a body that is not valid UTF-8 with 400 and stores nothing', async () => {
    const text =
      '{"docs":[{"_id":"policy:organisation:acme","type":"policy","target":"e1","issuedAt":1,"doc":{"note":"XX"}}]}';
    const bytes = Buffer.from(text, 'utf8');
    const at = bytes.indexOf('XX');
    bytes[at] = 0xff; // never valid in UTF-8
    bytes[at + 1] = 0xfe;
    const inboxBefore = await count('st-emp-e1-inbox');
    const res = await send(admin, `${INBOX}/_bulk_docs`, bytes);
    expect(res.status).toBe(400);
    expect(res.body.reason).toContain('UTF-8');
    // a lone continuation byte and a truncated sequence too
    for (const bad of [[0x80], [0xe2, 0x82]]) {
      const b = Buffer.concat([Buffer.from('{"docs":[{"_id":"'), Buffer.from(bad), Buffer.from('"}]}')]);
      expect((await send(admin, `${INBOX}/_bulk_docs`, b)).status).toBe(400);
    }
    expect(await count('st-emp-e1-inbox')).toBe(inboxBefore);
    // valid multi-byte text still goes through
    const ok = await t.json(admin, 'POST', `${INBOX}/_bulk_docs`, {
      docs: [{ _id: 'policy:team:ünïcødé', type: 'policy', target: 'e1', issuedAt: 1, doc: { note: 'café ✓ 😀' } }],
    });
    expect(ok.status).toBe(201);
    await stillServes();
  });

  it.each([
    'limit=-1',
    'limit=abc',
    'since=garbage',
    'doc_ids=notjson',
    'filter=_doc_ids&doc_ids=%7B%7D',
    'include_docs=maybe',
    'style=none',
    'seq_interval=-2',
    'timeout=abc',
    'heartbeat=x',
    'descending=2',
    'conflicts=yes',
  ])('_changes?%s gets 400', async (query) => {
    const res = await t.json(device, 'GET', `${RECORDS}/_changes?${query}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request', reason: expect.stringMatching(/must be|JSON/) });
  });

  it('still answers _changes with the parameters clients send', async () => {
    await stillServes();
    const res = await t.json(
      device,
      'GET',
      `${RECORDS}/_changes?style=all_docs&feed=normal&include_docs=true&since=0&heartbeat=60000&limit=10&seq_interval=10`,
    );
    expect(res.status).toBe(200);
    expect(res.body.results.length).toBeGreaterThan(0);
  });
});
