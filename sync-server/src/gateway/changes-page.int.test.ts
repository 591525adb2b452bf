// `_changes` pages through the gateway stay as full as the client asked,
// although the gateway leaves the databases' design documents out: a short
// page reads as "caught up" to RxDB and PouchDB. Paging with `since =
// last_seq` returns every record exactly once and no design document.
import { afterEach, describe, expect, it } from 'vitest';
import { ENGINE_KINDS, uniqueId } from '../../test-support/engine-fixture.js';
import { createTestDevice, toWire } from '../../test-support/sealed-records.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { dbNames } from '../provisioning/db-names.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe.each(ENGINE_KINDS)('_changes pages without design documents (%s engine)', (kind) => {
  it('a page holds `limit` records, and paging visits each record once', async () => {
    const t: TestServer = await startTestServer({ engine: kind === 'couchdb' ? 'env' : 'embedded' });
    cleanups.push(() => t.close());
    const emp = uniqueId('emp');
    await t.server.provisioner.provisionEmployee({ employeeId: emp, teamId: null });
    cleanups.push(() => t.server.provisioner.removeEmployee(emp).catch(() => undefined));
    const dev = await createTestDevice(uniqueId('d'), emp);
    const { token } = t.identity.device(dev.deviceId, emp, null, dev.signPublicKey);
    const docs = Array.from({ length: 23 }, () => toWire(dev.activity()));
    expect((await t.json(token, 'POST', `/${dbNames.employeeRecords(emp)}/_bulk_docs`, { docs })).status).toBe(201);

    const path = `/${dbNames.employeeRecords(emp)}/_changes`;
    const first = await t.json(token, 'GET', `${path}?limit=5`);
    expect(first.status).toBe(200);
    // the design document is the database's first change: the page is still full
    expect(first.body.results).toHaveLength(5);

    const seen: string[] = [];
    let since: unknown = 0;
    let pages = 0;
    for (;;) {
      const page = await t.json(
        token,
        'GET',
        `${path}?limit=5&since=${encodeURIComponent(typeof since === 'string' ? since : JSON.stringify(since))}`,
      );
      expect(page.status).toBe(200);
      pages++;
      for (const r of page.body.results as Array<{ id: string }>) seen.push(r.id);
      since = page.body.last_seq;
      if (page.body.results.length < 5) break;
      expect(pages).toBeLessThan(20);
    }
    expect(seen.filter((id) => id.startsWith('_design/'))).toEqual([]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.sort()).toEqual(docs.map((d) => d._id as string).sort());
    expect(pages).toBe(5); // 5 + 5 + 5 + 5 + 3
  });
});
