// The records push against the real gateway: a backlog goes up in one
// `_bulk_docs` with no read before it (RxDB's couchdb plugin read every id
// back first: one `_all_docs` per batch, an index walk per id on the
// server), every record acknowledged; records the server holds already
// (the same sealed copies) settle without a conflict or an error.
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordDoc } from '@sealtime/shared';
import { toWire } from '@sealtime/sync-server/testing';
import type { AgentStore } from '../store/agent-store.js';
import type { SealedConflict } from '../store/sealed-conflicts.js';
import { startAgentTestServer, waitFor, type AgentTestServer } from '../cli/test-support/agent-server.js';
import { startAgentSync } from './agent-sync.js';
import { enrollTestDevice, openRecordingStore, recordDeviceInfos } from './test-support/enrolled-device.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const RECORDS = 40;

async function deviceWithBacklog(
  employeeId: string,
): Promise<{ srv: AgentTestServer; store: AgentStore; authorization: string }> {
  const srv = await startAgentTestServer();
  cleanups.push(() => srv.close());
  const enrolled = await enrollTestDevice(srv, employeeId, cleanups);
  const { store, recorder } = await openRecordingStore(srv, enrolled, cleanups);
  expect(await recordDeviceInfos(recorder, RECORDS)).toBe(true);
  await recorder.close();
  return { srv, store, authorization: enrolled.authorization };
}

/** Requests to the records database, by endpoint (`_bulk_docs`, `_all_docs`, …). */
function countingFetch(db: string): { fetch: typeof fetch; calls: Map<string, number> } {
  const calls = new Map<string, number>();
  const wrapped: typeof fetch = (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.pathname.startsWith(`/${db}/`)) {
      const ep = url.pathname.slice(db.length + 2);
      calls.set(ep, (calls.get(ep) ?? 0) + 1);
    }
    return fetch(input, init);
  };
  return { fetch: wrapped, calls };
}

async function storedEnvelopes(srv: AgentTestServer, db: string): Promise<Map<string, string>> {
  const rows = (await srv.s.server.engine.nano.use<RecordDoc>(db).list({ include_docs: true })).rows;
  return new Map(
    rows.filter((r) => !r.id.startsWith('_design/')).map((r) => [r.id, (r.doc as unknown as RecordDoc).envelope]),
  );
}

describe('records push', () => {
  it('sends a backlog in one _bulk_docs, reads nothing back, and acknowledges every record', async () => {
    const emp = 'emp-push-one';
    const db = `st-emp-${emp}-records`;
    const { srv, store, authorization } = await deviceWithBacklog(emp);
    const counting = countingFetch(db);
    const acked = new Set<number>();
    const sync = startAgentSync({
      serverUrl: srv.url,
      employeeId: emp,
      authorization,
      collections: { records: store.records, blobs: store.blobs, inbox: store.inbox },
      onRecordAcked: (d) => acked.add(d.seq),
      baseFetch: counting.fetch,
    });
    cleanups.push(() => sync.stop());
    await waitFor('every record acknowledged', async () => acked.size === RECORDS, 30_000, 50);
    await sync.awaitPushed();

    const local = new Map((await store.records.find().exec()).map((d) => [d.id, d.envelope]));
    expect(await storedEnvelopes(srv, db)).toEqual(local);
    expect(counting.calls.get('_bulk_docs')).toBe(1);
    expect(counting.calls.get('_all_docs') ?? 0).toBe(0);
    expect(sync.status().lastError).toBeNull();
  }, 60_000);

  it('records the server holds already (the same copies) settle without a conflict or an error', async () => {
    const emp = 'emp-push-again';
    const db = `st-emp-${emp}-records`;
    const { srv, store, authorization } = await deviceWithBacklog(emp);
    // a previous run delivered the first half, then died before it could note that
    const docs = (await store.records.find().exec()).map((d) => d.toJSON() as RecordDoc);
    docs.sort((a, b) => a.seq - b.seq);
    await srv.s.server.engine.nano.use(db).bulk({ docs: docs.slice(0, RECORDS / 2).map(toWire) as never[] });

    const conflicts: SealedConflict[] = [];
    store.conflicts.on((c) => conflicts.push(c));
    const acked = new Set<number>();
    const sync = startAgentSync({
      serverUrl: srv.url,
      employeeId: emp,
      authorization,
      collections: { records: store.records, blobs: store.blobs, inbox: store.inbox },
      onRecordAcked: (d) => acked.add(d.seq),
    });
    cleanups.push(() => sync.stop());
    await sync.awaitPushed();
    await waitFor('the second half acknowledged', async () => acked.size >= RECORDS / 2, 30_000, 50);

    const local = new Map(docs.map((d) => [d.id, d.envelope]));
    expect(await storedEnvelopes(srv, db)).toEqual(local);
    for (const d of docs.slice(RECORDS / 2)) expect(acked.has(d.seq)).toBe(true);
    expect(conflicts).toEqual([]);
    expect(sync.status().lastError).toBeNull();
  }, 60_000);
});
