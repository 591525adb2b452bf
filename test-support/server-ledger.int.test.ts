// The server ledger must see what is wrong, or its "clean" verdicts in the
// resilience tests mean nothing: a clean set passes; a hole, a forged record,
// a rewritten record, another signer's key and an unknown device do not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDevice,
  openEngineFixture,
  toWire,
  type EngineFixture,
  type TestDevice,
} from '@sealtime/sync-server/testing';
import { allDocs, readServerLedger, seqGaps } from './server-ledger.js';

let fx: EngineFixture;
beforeAll(async () => {
  fx = await openEngineFixture('embedded');
});
afterAll(async () => {
  await fx.close();
});

async function employeeWith(
  records: (d: TestDevice) => Array<{ id: string }>,
  deviceId = 'dev-ledger-0001',
): Promise<{ e: string; d: TestDevice }> {
  const e = fx.employee('emp-ledger');
  await fx.provisioner.provisionEmployee({ employeeId: e, teamId: null });
  const d = await createTestDevice(deviceId, e);
  const docs = records(d).map(toWire);
  const res = await fx.engine.nano.use(`st-emp-${e}-records`).bulk({ docs });
  expect(res.filter((r) => 'error' in r && r.error)).toEqual([]);
  return { e, d };
}

describe('server ledger', () => {
  it('finds gaps in seq lists', () => {
    expect(seqGaps([0, 1, 2])).toEqual([]);
    expect(seqGaps([1, 2, 5, 9])).toEqual([
      [0, 0],
      [3, 4],
      [6, 8],
    ]);
  });

  it('passes a clean chain and pages through it', async () => {
    const { e, d } = await employeeWith((d) =>
      Array.from({ length: 25 }, (_, i) => (i % 4 ? d.activity() : d.attendance())),
    );
    const src = { url: fx.engine.url };
    const r = await readServerLedger(src, e, { [d.deviceId]: d.signPublicKey });
    expect(r.issues).toEqual([]);
    expect(r).toMatchObject({ count: 25, maxSeq: 24, gaps: [], duplicates: [], chainOk: true });
    expect(r.devices[0]!.seqs).toEqual(Array.from({ length: 25 }, (_, i) => i));
    const paged = await allDocs(src, `st-emp-${e}-records`, 7);
    expect(paged.map((x) => x._id)).toEqual(
      Array.from({ length: 25 }, (_, i) => `${d.deviceId}:${String(i).padStart(12, '0')}`),
    );
  });

  it('reports a missing record as a gap and a chain break', async () => {
    const { e, d } = await employeeWith((d) => {
      const all = Array.from({ length: 10 }, () => d.activity());
      return all.filter((_, i) => i !== 4 && i !== 5);
    });
    const r = await readServerLedger({ url: fx.engine.url }, e, { [d.deviceId]: d.signPublicKey });
    expect(r.gaps).toEqual([{ deviceId: d.deviceId, from: 4, to: 5 }]);
    expect(r.chainOk).toBe(false);
    expect(r.issues.join('\n')).toContain('seq 4..5 missing');
  });

  it('fails the chain under the wrong key, and names devices it has no key for', async () => {
    const { e, d } = await employeeWith((d) => [d.activity(), d.activity()]);
    const other = await createTestDevice(d.deviceId, e);
    const wrong = await readServerLedger({ url: fx.engine.url }, e, { [d.deviceId]: other.signPublicKey });
    expect(wrong.chainOk).toBe(false);
    expect(wrong.issues.join('\n')).toMatch(/forged|altered/);
    const unknown = await readServerLedger({ url: fx.engine.url }, e, {});
    expect(unknown.chainOk).toBe(false);
    expect(unknown.issues.join('\n')).toContain('no signing key');
  });

  it('flags a record rewritten on the server as a duplicate (records are written once)', async () => {
    const { e, d } = await employeeWith((d) => [d.activity(), d.activity()]);
    const db = fx.engine.nano.use<Record<string, unknown>>(`st-emp-${e}-records`);
    const first = await db.get(`${d.deviceId}:000000000001`);
    // the same record written again (a new revision), as a careless re-push would
    await db.insert({ ...first });
    const r = await readServerLedger({ url: fx.engine.url }, e, { [d.deviceId]: d.signPublicKey });
    expect(r.duplicates).toEqual([{ deviceId: d.deviceId, seq: 1 }]);
    expect(r.issues.join('\n')).toContain('rewritten');
  });

  it('keeps two devices of one employee apart, each with its own chain and key', async () => {
    const { e, d } = await employeeWith((d) => [d.activity(), d.activity(), d.activity()]);
    const d2 = await createTestDevice('dev-ledger-0002', e);
    await fx.engine.nano.use(`st-emp-${e}-records`).bulk({ docs: [d2.activity(), d2.activity()].map(toWire) });
    const r = await readServerLedger({ url: fx.engine.url }, e, {
      [d.deviceId]: d.signPublicKey,
      [d2.deviceId]: d2.signPublicKey,
    });
    expect(r.issues).toEqual([]);
    expect(r.devices.map((x) => [x.deviceId, x.count])).toEqual([
      [d.deviceId, 3],
      [d2.deviceId, 2],
    ]);
    expect(r.count).toBe(5);
  });
});
