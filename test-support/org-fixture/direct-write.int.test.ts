// The bench's fast path: sealed docs written straight into the embedded
// engine (engine-writer.ts) must end up as agent-pushed ones do: the server's
// consolidation copies them into every reviewer database, chains verify, the
// gateway serves them, and the device can keep pushing through the gateway.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chainStatus, deviceKeys, openContext, readRecords, type AdminContext } from '@sealtime/admin-desktop/node';
import { lowParams, ROOT_PASSWORD, startAdminTestServer, type AdminTestServer } from '@sealtime/admin-desktop/testing';
import { deviceAuthorization } from '@sealtime/agent/src/sync/authorized-fetch.js';
import { engineWriter, generateOrg, recordCount, storeOrg, type OrgPlan, type StoredOrg } from './index.js';

let srv: AdminTestServer;
let org: OrgPlan;
let stored: StoredOrg;
let ctx: AdminContext;
let written = 0;

beforeAll(async () => {
  srv = await startAdminTestServer();
  org = await generateOrg({ seed: 3, people: 2, days: 2, endDate: '2026-11-26', timeZone: 'Europe/Berlin' });
  const params = await lowParams();
  const profileDir = await srv.profile();
  const direct = engineWriter(srv.s.server.engine);
  stored = await storeOrg(org, {
    url: srv.url,
    superAdmin: { userId: 'root', password: ROOT_PASSWORD },
    profileDir,
    keyParams: { opsLimit: params.opsLimit, memLimitBytes: params.memLimitBytes },
    batchSize: 2000,
    writeDocs: async (db, docs) => {
      written += docs.length;
      await direct(db, docs);
    },
  });
  ctx = await openContext({ profileDir });
}, 600_000);

afterAll(async () => {
  await srv?.close();
});

describe('org fixture written straight into the engine', () => {
  it('wrote every record and image itself, and consolidation copied them to each reviewer database', async () => {
    expect(written).toBe(stored.totals.records + stored.totals.blobs);
    expect(stored.totals.records).toBeGreaterThan(200);
    for (const [db, n] of Object.entries(stored.expected))
      expect([db, await recordCount(ctx.client, db)]).toEqual([db, n]);
    expect(stored.expected['st-org-records']).toBe(stored.totals.records);
  });

  it('every device chain verifies from the consolidated copy', async () => {
    for (const person of org.people) {
      const docs = await readRecords(ctx.client, 'st-org-records', person.employeeId);
      const keys = await deviceKeys(ctx.client, person.employeeId);
      const mine = stored.devices.filter((d) => d.employeeId === person.employeeId && d.records > 0);
      expect(
        chainStatus(docs, keys, true)
          .map((s) => [s.deviceId, s.status, s.records])
          .sort(),
      ).toEqual(mine.map((d) => [d.deviceId, 'intact', d.records]).sort());
    }
  });

  it('the gateway serves them to the device with first revisions, as a replication would have stored them', async () => {
    const d = stored.devices[0]!;
    const res = await fetch(`${srv.url}/st-emp-${d.employeeId}-records/_all_docs?limit=20`, {
      headers: { authorization: deviceAuthorization(d.deviceId, d.credential) },
    });
    expect(res.status).toBe(200);
    const rows = ((await res.json()) as { rows: Array<{ id: string; value: { rev: string } }> }).rows;
    expect(rows.length).toBeGreaterThan(10); // the gateway drops the design document from the page
    for (const r of rows) expect(r.value.rev).toMatch(/^1-[0-9a-f]{32}$/);
  });
});
