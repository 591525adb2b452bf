// Bad input through the real gateway: every case gets a clear 4xx JSON
// `{error, reason}`, nothing is stored, and the process keeps serving.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDevice, toWire, type TestDevice } from '../../test-support/sealed-records.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';

let t: TestServer;
let dev: TestDevice;
let device: string;
const RECORDS = '/st-emp-e1-records';

beforeAll(async () => {
  t = await startTestServer();
  await t.server.provisioner.provisionEmployee({ employeeId: 'e1', teamId: null });
  dev = await createTestDevice('d1', 'e1');
  device = t.identity.device('d1', 'e1', null, dev.signPublicKey).token;
});
afterAll(async () => {
  await t?.close();
});

const stored = async (db = 'st-emp-e1-records'): Promise<number> => (await t.server.engine.nano.db.get(db)).doc_count;

async function stillServes(): Promise<void> {
  const res = await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, { docs: [toWire(dev.activity())] });
  expect(res.status).toBe(201);
}

function expectRefusal(res: { status: number; body: unknown }, status: number, error?: string): void {
  expect(res.status).toBe(status);
  expect(res.body).toMatchObject({ error: error ?? expect.any(String), reason: expect.any(String) });
}

describe('bad input', () => {
  it('malformed JSON, a non-object body and an empty body get 400', async () => {
    const before = await stored();
    expectRefusal(await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, '{"docs": [{"_id": '), 400, 'bad_request');
    expectRefusal(await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, '[1,2,3]'), 400, 'bad_request');
    expectRefusal(await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, ''), 400, 'bad_request');
    expectRefusal(await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, { docs: 'nope' }), 400, 'bad_request');
    expectRefusal(
      await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, { docs: [], new_edits: 'no' }),
      400,
      'bad_request',
    );
    expectRefusal(await t.json(device, 'POST', `${RECORDS}/_bulk_get`, { docs: [{ rev: '1-a' }] }), 400, 'bad_request');
    expectRefusal(await t.json(device, 'POST', `${RECORDS}/_all_docs`, { keys: [1, 2] }), 400, 'bad_request');
    expectRefusal(await t.json(device, 'GET', `${RECORDS}/_all_docs?keys=not-json`), 400, 'bad_request');
    expectRefusal(await t.json(device, 'POST', `${RECORDS}/_revs_diff`, { x: 'not-a-list' }), 400, 'bad_request');
    expect(await stored()).toBe(before);
    await stillServes();
  });

  it('bodies over the limit get 413, declared or streamed', async () => {
    const before = await stored();
    const big = JSON.stringify({ docs: [{ _id: 'd1:000000000001', pad: 'x'.repeat(5 * 1024 * 1024) }] });
    expectRefusal(await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, big), 413, 'too_large');
    const chunks = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 50; i++) c.enqueue(new TextEncoder().encode('x'.repeat(100_000)));
        c.close();
      },
    });
    const streamed = await t.fetchAs(device, `${RECORDS}/_bulk_docs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: 'too_large' });
    expect(await stored()).toBe(before);
    await stillServes();
  });

  it('screenshots get the larger blob limit, and no more', async () => {
    const blob = toWire(dev.blob(5 * 1024 * 1024)); // ~6.7 MiB as base64: over the general limit
    expect((await t.json(device, 'POST', '/st-emp-e1-blobs/_bulk_docs', { docs: [blob] })).status).toBe(201);
    const huge = JSON.stringify({ docs: [{ ...toWire(dev.blob(1024)), pad: 'x'.repeat(33 * 1024 * 1024) }] });
    expectRefusal(await t.json(device, 'POST', '/st-emp-e1-blobs/_bulk_docs', huge), 413, 'too_large');
    expect(await stored('st-emp-e1-blobs')).toBe(2); // the design document and the one blob
  });

  it('forged ids and tampered documents get 400, and a batch with one bad document stores none', async () => {
    const before = await stored();
    const good = toWire(dev.activity());
    const forgedId = { ...toWire(dev.activity()), _id: 'd1:000000000999' };
    const res = await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, { docs: [good, forgedId] });
    expectRefusal(res, 400, 'invalid_document');
    expect(res.body.reason).toContain('docs[1]');
    expectRefusal(
      await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, {
        docs: [{ ...toWire(dev.activity()), employeeId: 'e2' }],
      }),
      400,
      'invalid_document',
    );
    expectRefusal(
      await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, {
        docs: [{ ...toWire(dev.activity()), kind: 'attendance' }],
      }),
      400,
      'invalid_document',
    );
    expectRefusal(
      await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, {
        docs: [{ _id: '_design/evil', validate_doc_update: 'function(){}' }],
      }),
      400,
      'invalid_document',
    );
    expectRefusal(
      await t.json(device, 'POST', `${RECORDS}/_bulk_docs`, {
        docs: [{ ...toWire(dev.activity()), _attachments: { a: { content_type: 'text/plain', data: 'aGk=' } } }],
      }),
      400,
      'invalid_document',
    );
    expect(await stored()).toBe(before);
    expect((await t.json(device, 'GET', `${RECORDS}/${encodeURIComponent(good._id)}`)).status).toBe(404);
  });

  it('unknown endpoints and methods get 404/405 JSON', async () => {
    for (const [method, path, status] of [
      ['GET', '/_all_dbs', 404],
      ['GET', '/_config', 404],
      ['POST', '/_replicate', 404],
      ['GET', `${RECORDS}/_design/sealtime`, 404],
      ['POST', `${RECORDS}/_purge`, 404],
      ['DELETE', RECORDS, 405],
      ['PATCH', `${RECORDS}/_bulk_docs`, 405],
      ['GET', '/not-ours/_changes', 404],
    ] as const) {
      expectRefusal(await t.json(device, method, path), status);
    }
    await stillServes();
  });

  it('malformed HTTP gets a 400 and the connection is closed', async () => {
    const url = new URL(t.url);
    const reply = await new Promise<string>((resolve, reject) => {
      const s = net.connect(Number(url.port), url.hostname, () => s.write('GARBAGE / HTTP/9.9\r\n\x00\x01\r\n\r\n'));
      let out = '';
      s.on('data', (b) => (out += b.toString()));
      s.on('close', () => resolve(out));
      s.on('error', reject);
    });
    expect(reply).toContain('400');
    await stillServes();
  });

  it('a flood of parallel bad requests gets 4xx answers, and the server keeps serving', async () => {
    const before = await stored();
    const bad: Array<() => Promise<number>> = [
      () => t.json(device, 'POST', `${RECORDS}/_bulk_docs`, '{"docs":[').then((r) => r.status),
      () => t.json(null, 'GET', `${RECORDS}/_changes`).then((r) => r.status),
      () => t.json(device, 'GET', '/st-emp-e2-records/_changes').then((r) => r.status),
      () => t.json(device, 'PUT', '/st-emp-flood-records').then((r) => r.status),
      () => t.json(device, 'POST', `${RECORDS}/_find`, { selector: {} }).then((r) => r.status),
      () =>
        t
          .json(device, 'POST', `${RECORDS}/_bulk_docs`, { docs: [{ ...toWire(dev.activity()), seq: 1 }] })
          .then((r) => r.status),
      () =>
        t
          .fetchAs(device, `${RECORDS}/_bulk_docs`, {
            method: 'POST',
            headers: { 'content-type': 'text/plain' },
            body: 'x',
          })
          .then((r) => r.status),
    ];
    const started = Date.now();
    const statuses = await Promise.all(Array.from({ length: 700 }, (_, i) => bad[i % bad.length]!()));
    const ms = Date.now() - started;
    expect(statuses.filter((s) => s < 400 || s >= 500)).toEqual([]);
    expect(new Set(statuses)).toEqual(new Set([400, 401, 403, 404, 405, 415]));
    expect(await stored()).toBe(before);
    await stillServes();
    // 700 refusals on two cores: comfortably under a few seconds
    expect(ms).toBeLessThan(15_000);
  });
});
