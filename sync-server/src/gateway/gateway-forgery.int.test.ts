// Issue 15, part 1: with nothing but a device's credential, forged sealed
// records used to be stored (and consolidated): a random signature, a key
// never enrolled, a prevHash that breaks the chain, seq 0 relabelled seq 100,
// and pre-written future seqs that then locked the genuine records out. Each
// attack here runs against the real composed server (real enrollment, real
// identity, embedded engine on disk, real consolidation) and must be refused
// with a typed 4xx, leave nothing stored, and show up as an admin's alert.
import {
  DeviceSealer,
  encodePayload,
  fingerprint,
  fromBase64,
  initSodium,
  recordDocId,
  toBase64,
  toRecordDoc,
  type RecordDoc,
} from '@sealtime/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test-support/engine-fixture.js';
import { createTestDevice, testSignKeyPair, toWire, type TestDevice } from '../../test-support/sealed-records.js';
import { httpPouch, leveldbPouch } from '../engine/pouch-modules.js';
import { authHeader, startApiFixture, type ApiFixture, type Auth } from '../api/test-support/api-fixture.js';
import { dbNames } from '../provisioning/db-names.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const API = '/_sealtime/api';
const EMP = 'alice';
const TEAM = 'team-a';
const RECORDS = `/${dbNames.employeeRecords(EMP)}`;

let f: ApiFixture;
let admin: string;
let deviceId: string;
let auth: Auth;
/** The genuine device: the key it signs with is the one it enrolled. */
let dev: TestDevice;
let genuineKey: { publicKey: Uint8Array; privateKey: Uint8Array };
const dirs: string[] = [];

async function enroll(
  label: string,
): Promise<{ deviceId: string; auth: Auth; dev: TestDevice; key: { publicKey: Uint8Array; privateKey: Uint8Array } }> {
  const s = await initSodium();
  const code = await f.request({ bearer: admin }, 'POST', `${API}/enrollment-codes`, {
    employeeId: EMP,
    teamId: TEAM,
    orgKeyFingerprint: fingerprint(s.crypto_sign_keypair().publicKey),
  });
  const key = await testSignKeyPair(label);
  const enrolled = await f.request(null, 'POST', `${API}/enroll`, {
    code: code.body.code,
    signPublicKey: key.publicKeyText,
  });
  expect(enrolled.status).toBe(201);
  const id = enrolled.body.deviceId as string;
  return {
    deviceId: id,
    auth: { device: id, credential: enrolled.body.deviceCredential as string },
    dev: await createTestDevice(id, EMP, { signKeyLabel: label }),
    key,
  };
}

beforeAll(async () => {
  f = await startApiFixture();
  admin = await f.person('ada', 'admin');
  const first = await enroll('forgery-alice');
  ({ deviceId, auth, dev } = first);
  genuineKey = first.key;
}, 60_000);
afterAll(async () => {
  await f?.close();
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

const push = (docs: unknown[], db = RECORDS, extra: Record<string, unknown> = {}, as: Auth = auth) =>
  f.request(as, 'POST', `${db}/_bulk_docs`, { docs, ...extra });
const storedIds = async (db = dbNames.employeeRecords(EMP)): Promise<string[]> =>
  (await f.s.server.engine.nano.use(db).list()).rows.map((r) => r.id).filter((id) => !id.startsWith('_design/'));
const alerts = async (): Promise<Array<Record<string, unknown>>> => {
  const r = await f.request({ bearer: admin }, 'GET', `${API}/alerts?limit=1000`);
  expect(r.status).toBe(200);
  return r.body.alerts;
};

/** A seal with a device's own key from a chosen chain head: what only that device could make. */
function sealWithKey(
  id: string,
  key: { publicKey: Uint8Array; privateKey: Uint8Array },
  seq: number,
  prevHash: Uint8Array,
  at: number,
): RecordDoc {
  const org = dev.orgKeyPair.publicKey;
  const sealer = new DeviceSealer(
    { deviceId: id, employeeId: EMP, signPublicKey: key.publicKey, signSecretKey: key.privateKey },
    { nextSeq: seq, prevHash },
  );
  const p = encodePayload('attendance', { v: 1, at, type: 'clock-in', source: 'agent' });
  if (!p.ok) throw new Error(p.error.message);
  const sealed = sealer.seal('attendance', p.value, [org], at);
  if (!sealed.ok) throw new Error(sealed.error.message);
  const doc = toRecordDoc(sealed.value.bytes);
  if (!doc.ok) throw new Error(doc.error.message);
  return doc.value;
}

/** The same envelope with its signed seq rewritten in place (the signature no longer covers it). */
function relabel(doc: RecordDoc, seq: number): Record<string, unknown> {
  const bytes = fromBase64(doc.envelope);
  if (!bytes.ok) throw new Error('bad envelope');
  const b = Uint8Array.from(bytes.value);
  // "STE" version, then routing class, deviceId, employeeId as u8 length + ASCII, then seq as u64 big-endian
  const at = 4 + 1 + doc.class.length + 1 + doc.deviceId.length + 1 + doc.employeeId.length;
  new DataView(b.buffer).setUint32(at, 0);
  new DataView(b.buffer).setUint32(at + 4, seq);
  return { ...toWire(doc), _id: recordDocId(doc.deviceId, seq), seq, envelope: toBase64(b) };
}

describe('forged records through the gateway (issue 15)', () => {
  let seq0: RecordDoc;

  it('stores the genuine first records', async () => {
    seq0 = dev.attendance();
    const seq1 = dev.attendance();
    expect((await push([toWire(seq0), toWire(seq1)])).status).toBe(201);
    expect(await storedIds()).toEqual([seq0.id, seq1.id]);
  });

  it('refuses a record with a random signature', async () => {
    const genuine = dev.activity(); // seq 2, never sent as it is
    const bytes = fromBase64(genuine.envelope);
    if (!bytes.ok) throw new Error('bad envelope');
    const forged = Uint8Array.from(bytes.value);
    forged.set(crypto.getRandomValues(new Uint8Array(64)), forged.length - 64);
    const res = await push([{ ...toWire(genuine), envelope: toBase64(forged) }]);
    expect(res).toMatchObject({
      status: 403,
      body: { error: 'forged_record', reason: expect.stringContaining('does not verify') },
    });
    expect(await storedIds()).not.toContain(genuine.id);
    // the genuine seq 2 still goes in afterwards
    expect((await push([toWire(genuine)])).status).toBe(201);
  });

  it('refuses a record signed by a key that was never enrolled', async () => {
    const impostor = await createTestDevice(deviceId, EMP); // same device id, its own key
    for (let i = 0; i < 3; i++) impostor.activity(); // up to seq 3, the next free one
    const forged = impostor.activity();
    expect(forged.seq).toBe(3);
    const res = await push([toWire(forged)]);
    expect(res).toMatchObject({
      status: 403,
      body: { error: 'forged_record', reason: expect.stringContaining('not this device') },
    });
    expect(await storedIds()).not.toContain(forged.id);
  });

  it('refuses a record whose prevHash breaks the chain, even signed with the device key', async () => {
    const broken = sealWithKey(deviceId, genuineKey, 3, crypto.getRandomValues(new Uint8Array(32)), Date.now());
    const res = await push([toWire(broken)]);
    expect(res).toMatchObject({ status: 409, body: { error: 'chain_broken' } });
    expect(await storedIds()).not.toContain(broken.id);
  });

  it('refuses seq 0 relabelled seq 100, copied or re-signed by an attacker', async () => {
    const copied = relabel(seq0, 100);
    expect(await push([copied])).toMatchObject({ status: 403, body: { error: 'forged_record' } });
    // an attacker's own seal of the same content as seq 100: not the enrolled key
    const attacker = await createTestDevice(deviceId, EMP);
    let resigned = attacker.attendance(seq0.hour);
    while (resigned.seq < 100) resigned = attacker.attendance(seq0.hour);
    expect(await push([toWire(resigned)])).toMatchObject({ status: 403, body: { error: 'forged_record' } });
    // the copy with only its clear fields changed was already refused as inconsistent
    expect((await push([{ ...toWire(seq0), _id: recordDocId(deviceId, 100), seq: 100 }])).status).toBe(400);
    expect(await storedIds()).not.toContain(recordDocId(deviceId, 100));
  });

  it('refuses forged images (signature checked, as for records)', async () => {
    const impostor = await createTestDevice(deviceId, EMP);
    const blob = impostor.blob(1024);
    expect(await push([toWire(blob)], `/${dbNames.employeeBlobs(EMP)}`)).toMatchObject({
      status: 403,
      body: { error: 'forged_record' },
    });
    expect(await storedIds(dbNames.employeeBlobs(EMP))).toEqual([]);
    expect((await push([toWire(dev.blob(1024))], `/${dbNames.employeeBlobs(EMP)}`)).status).toBe(201);
  });

  it('pre-written future seqs are refused, and the genuine device then syncs all its records', async () => {
    const attacker = await createTestDevice(deviceId, EMP);
    const future: RecordDoc[] = [];
    for (let i = 0; i < 40; i++) {
      const r = attacker.attendance();
      if (r.seq >= 20 && r.seq < 30) future.push(r);
    }
    expect(await push(future.map(toWire))).toMatchObject({ status: 403, body: { error: 'forged_record' } });
    expect(await push(future.map(toWire), RECORDS, { new_edits: false })).toMatchObject({ status: 403 });

    // the genuine device seals seqs up to 29 and replicates them with a real PouchDB client
    const genuine: RecordDoc[] = [];
    while (genuine.length === 0 || genuine[genuine.length - 1]!.seq < 29) genuine.push(dev.attendance());
    const dir = await mkdtemp(join(tmpdir(), 'sealtime-forgery-'));
    dirs.push(dir);
    const Local = leveldbPouch(dir);
    const local = new Local('records') as unknown as {
      bulkDocs(d: object[]): Promise<unknown>;
      close(): Promise<void>;
    };
    await local.bulkDocs(genuine.map(toWire));
    const deviceFetch = (u: string, init: { headers: Headers }) => {
      for (const [k, v] of Object.entries(authHeader(auth))) init.headers.set(k, v);
      return fetch(u, init as RequestInit);
    };
    const remote = new (httpPouch())(`${f.url}${RECORDS}`, { skip_setup: true, fetch: deviceFetch });
    const pushed = (await Local.replicate(local as never, remote, {})) as unknown as {
      ok: boolean;
      docs_written: number;
    };
    await local.close();
    expect(pushed.ok).toBe(true);
    const db = f.s.server.engine.nano.use<RecordDoc>(dbNames.employeeRecords(EMP));
    for (const g of genuine) expect(((await db.get(g.id)) as unknown as RecordDoc).envelope).toBe(g.envelope);
  });

  it('forgeries never reach the organisation, team or HR databases', async () => {
    const own = (
      await f.s.server.engine.nano.use<RecordDoc>(dbNames.employeeRecords(EMP)).list({ include_docs: true })
    ).rows.filter((r) => !r.id.startsWith('_design/'));
    const ownById = new Map(own.map((r) => [r.id, r.doc as unknown as RecordDoc]));
    const routes: Array<[string, (d: RecordDoc) => boolean]> = [
      [dbNames.orgRecords, () => true],
      [dbNames.teamRecords(TEAM), (d) => d.class !== 'org'],
      [dbNames.hrAttendance, (d) => d.class === 'attendance'],
    ];
    for (const [name, routed] of routes) {
      const expected = [...ownById.values()].filter(routed).length;
      const rows = await eventually(
        async () => {
          const list = await f.s.server.engine.nano.use<RecordDoc>(name).list({ include_docs: true });
          const docs = list.rows
            .filter((r) => !r.id.startsWith('_design/'))
            .map((r) => ({ ...(r.doc as unknown as RecordDoc), id: r.id }));
          return docs.length >= expected ? docs : null;
        },
        30_000,
        `consolidation into ${name}`,
      );
      // everything consolidated is exactly what the employee database holds: the genuine records only
      expect(rows.length).toBe(expected);
      for (const d of rows) expect(d.envelope).toBe(ownById.get(d.id)?.envelope);
      expect(rows.map((d) => d.id)).not.toContain(recordDocId(deviceId, 100));
    }
  }, 120_000);

  it('checks an out-of-order record when its neighbour arrives', async () => {
    // a second device of alice, so its chain is its own
    const second = await enroll('forgery-alice-2');
    const seal = (seq: number, prevHash: Uint8Array) =>
      sealWithKey(second.deviceId, second.key, seq, prevHash, Date.now());
    const s0 = second.dev.activity();
    expect((await push([toWire(s0)], RECORDS, {}, second.auth)).status).toBe(201);
    // seq 3 arrives before 1 and 2 with a link to nowhere: accepted for now, it has no neighbour yet
    const early = seal(3, crypto.getRandomValues(new Uint8Array(32)));
    expect((await push([toWire(early)], RECORDS, {}, second.auth)).status).toBe(201);
    const s1 = second.dev.activity();
    const s2 = second.dev.activity();
    expect(s2.seq).toBe(2);
    // seq 2 fits seq 1, but the stored seq 3 does not link to it: refused, and alerted
    const res = await push([toWire(s1), toWire(s2)], RECORDS, {}, second.auth);
    expect(res).toMatchObject({
      status: 409,
      body: { error: 'chain_broken', reason: expect.stringContaining('seq 3') },
    });
    expect(await storedIds()).not.toContain(s2.id);
    expect((await push([toWire(s1)], RECORDS, {}, second.auth)).status).toBe(201);
  });

  it('refuses records from a device enrolled without a signing key, and alerts once', async () => {
    const code = await f.request({ bearer: admin }, 'POST', `${API}/enrollment-codes`, {
      employeeId: EMP,
      teamId: TEAM,
      orgKeyFingerprint: 'ab'.repeat(16),
    });
    // the API requires a key; a device record from before it did has none
    const keyless = await f.s.services.enrollment.redeem(code.body.code, {}, { ip: '127.0.0.1', userAgent: null });
    const as: Auth = { device: keyless.deviceId, credential: keyless.deviceCredential };
    const theirs = await createTestDevice(keyless.deviceId, EMP);
    for (let i = 0; i < 2; i++) {
      const res = await push([toWire(theirs.activity())], RECORDS, {}, as);
      expect(res).toMatchObject({
        status: 403,
        body: { error: 'forbidden', reason: expect.stringContaining('no enrolled signing key') },
      });
    }
    expect((await alerts()).filter((a) => a.deviceId === keyless.deviceId)).toHaveLength(1);
  });

  it('lists every refusal as an integrity alert for admins, and for admins only', async () => {
    const list = await alerts();
    const codes = list.map((a) => a.code);
    expect(codes.filter((c) => c === 'forged_record').length).toBeGreaterThanOrEqual(7);
    expect(codes.filter((c) => c === 'chain_broken').length).toBe(2);
    expect(list[0]).toMatchObject({
      deviceId,
      employeeId: EMP,
      db: dbNames.employeeRecords(EMP),
      outcome: 'refused',
      reason: expect.any(String),
      at: expect.any(Number),
    });
    expect(list.some((a) => a.seq === 100)).toBe(true);
    expect((await f.request(auth, 'GET', `${API}/alerts`)).status).toBe(403);
    const member = await f.person('mia', 'member');
    expect((await f.request({ bearer: member }, 'GET', `${API}/alerts`)).status).toBe(403);
    // the same entries are in the audit trail
    expect((await f.auditEntries()).filter((e) => e.action === 'integrity.alert').length).toBe(list.length);
  });
});
