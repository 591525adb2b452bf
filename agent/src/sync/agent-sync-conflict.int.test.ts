// Issue 15: forgeries pre-written under seqs the device had not reached made
// the agent replace its own genuine records with the server's copies (RxDB's
// default conflict handling lets the server win) and report nothing waiting.
// Against the real composed server: the gateway refuses such pre-writes made
// with the device's credential; and where forgeries got into the engine
// anyway (before the gateway checked, or past it), the agent keeps its own
// sealed records, announces each conflict, and keeps offering them.
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordDoc } from '@sealtime/shared';
import { createTestDevice, toWire } from '@sealtime/sync-server/testing';
import type { SealedConflict } from '../store/sealed-conflicts.js';
import { startAgentTestServer, waitFor } from '../cli/test-support/agent-server.js';
import { startAgentSync } from './agent-sync.js';
import { enrollTestDevice, openRecordingStore, recordDeviceInfos } from './test-support/enrolled-device.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const EMP = 'emp-forged-ahead';
const DB = `st-emp-${EMP}-records`;

describe('the agent keeps its own sealed records', () => {
  it('pre-written future seqs: refused at the gateway; planted in the engine, they never replace the local records', async () => {
    const srv = await startAgentTestServer();
    cleanups.push(() => srv.close());
    const enrolled = await enrollTestDevice(srv, EMP, cleanups);
    const { deviceId, authorization } = enrolled;

    // an attacker with the device's credential but not its key writes seqs 5..7 ahead of the device
    const attacker = await createTestDevice(deviceId, EMP);
    const forged: RecordDoc[] = [];
    for (let i = 0; i < 8; i++) {
      const r = attacker.activity();
      if (r.seq >= 5) forged.push(r);
    }
    const viaGateway = await fetch(`${srv.url}/${DB}/_bulk_docs`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ docs: forged.map(toWire) }),
    });
    expect(viaGateway.status).toBe(403);
    expect(((await viaGateway.json()) as { error: string }).error).toBe('forged_record');
    // the same forgeries straight into the engine: what a server without the check held
    await srv.s.server.engine.nano.use(DB).bulk({ docs: forged.map(toWire) as never[] });

    const { store, recorder } = await openRecordingStore(srv, enrolled, cleanups);
    expect(await recordDeviceInfos(recorder, 10)).toBe(true);
    await recorder.close();
    const localEnvelopes = async () => new Map((await store.records.find().exec()).map((d) => [d.id, d.envelope]));
    const before = await localEnvelopes();
    expect(before.size).toBe(10);

    const conflicts: SealedConflict[] = [];
    store.conflicts.on((c) => conflicts.push(c));
    const acked = new Set<number>();
    const sync = startAgentSync({
      serverUrl: srv.url,
      employeeId: EMP,
      authorization,
      collections: { records: store.records, blobs: store.blobs, inbox: store.inbox },
      onRecordAcked: (d) => acked.add(d.seq),
      minRetryMs: 100,
      maxRetryMs: 400,
    });
    cleanups.push(() => sync.stop());

    const server = srv.s.server.engine.nano.use<RecordDoc>(DB);
    const genuineOnServer = async () => {
      const rows = (await server.list({ include_docs: true })).rows.filter((r) => !r.id.startsWith('_design/'));
      return rows.filter((r) => before.get(r.id) === (r.doc as unknown as RecordDoc).envelope).map((r) => r.id);
    };
    // every genuine record the server has no other copy of reaches it
    await waitFor(
      'the seven unforged seqs on the server',
      async () => (await genuineOnServer()).length === 7,
      30_000,
      200,
    );
    const replaced = async () => [...(await localEnvelopes())].some(([id, env]) => before.get(id) !== env);
    await waitFor('the three conflicts settled', async () => conflicts.length === 3 || (await replaced()), 30_000, 100);
    // the local records are all still the device's own
    expect(await localEnvelopes()).toEqual(before);
    expect(conflicts.map((c) => c.id).sort()).toEqual(forged.map((r) => r.id).sort());
    expect(conflicts.every((c) => c.collection === 'records' && c.server === 'different')).toBe(true);
    // a few more rounds of offering them again
    await waitFor('a refusal of the re-offered records', async () => sync.status().lastError, 20_000, 100);

    // still the device's own after more rounds, and the forged seqs are not counted as delivered
    expect(await localEnvelopes()).toEqual(before);
    expect([...acked].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 8, 9]);
  }, 90_000);
});
