// Issue 15, part 7a: a compromised but enrolled device (its credential AND
// its signing key) sends 10 000 generated bad documents — wrong owner,
// broken schema, oversize, forged signatures, replays, reordering, chain
// breaks, forks, deletions, other devices' and employees' ids. Every one must
// be refused (a 4xx), nothing of it may be readable as valid data afterwards
// (the stored chain still verifies and holds the genuine records only, in the
// employee's and the consolidated databases), and the gateway keeps serving.
// The documents come from a seeded PRNG (SEALTIME_HOSTILE_SEED to repeat one).
import {
  DeviceSealer,
  encodePayload,
  fromBase64,
  recordDocId,
  toBase64,
  toRecordDoc,
  verifyChain,
  type RecordDoc,
} from '@sealtime/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../test-support/seeded-random.js';
import type { AuditEvent, AuditSink } from '../audit/audit-log.js';
import { ENGINE_KINDS, eventually, uniqueId } from '../../test-support/engine-fixture.js';
import { createTestDevice, testSignKeyPair, toWire, type TestDevice } from '../../test-support/sealed-records.js';
import { startTestServer, type TestServer } from '../../test-support/test-server.js';
import { dbNames } from '../provisioning/db-names.js';

const BAD_DOCS = 10_000;
const GENUINE = 50;
const CONCURRENCY = 8;
/** Bad documents sent one per request (each kind's own refusal), then the rest in mixed batches. */
const SINGLY = 600;
const BATCH = 20;
const SEED = Number(process.env.SEALTIME_HOSTILE_SEED ?? 150_700);

type Doc = Record<string, unknown>;
interface Attack {
  kind: string;
  docs: Doc[];
  newEdits?: false;
}

describe.each(ENGINE_KINDS)('a compromised device floods the gateway (%s engine)', (kind) => {
  let t: TestServer;
  let emp: string;
  let other: string;
  let token: string;
  let dev: TestDevice;
  let key: { publicKey: Uint8Array; privateKey: Uint8Array };
  const alerts: AuditEvent[] = [];
  const genuine: RecordDoc[] = [];
  const label = uniqueId('hostile');
  const deviceId = uniqueId('dev');

  beforeAll(async () => {
    const audit: AuditSink = {
      record(e) {
        if (e.action === 'integrity.alert') alerts.push(e);
        return String(alerts.length);
      },
    };
    t = await startTestServer({ engine: kind === 'couchdb' ? 'env' : 'embedded', audit });
    emp = uniqueId('emp');
    other = uniqueId('emp');
    await t.server.provisioner.provisionEmployee({ employeeId: emp, teamId: null });
    await t.server.provisioner.provisionEmployee({ employeeId: other, teamId: null });
    key = await testSignKeyPair(label);
    dev = await createTestDevice(deviceId, emp, { signKeyLabel: label });
    token = t.identity.device(deviceId, emp, null, dev.signPublicKey).token;
    for (let i = 0; i < GENUINE; i++) genuine.push(dev.attendance());
    const res = await t.json(token, 'POST', `/${dbNames.employeeRecords(emp)}/_bulk_docs`, {
      docs: genuine.map(toWire),
    });
    expect(res.status).toBe(201);
  }, 60_000);
  afterAll(async () => {
    await t?.server.provisioner.removeEmployee(emp).catch(() => undefined);
    await t?.server.provisioner.removeEmployee(other).catch(() => undefined);
    await t?.close();
  });

  it(`refuses all ${BAD_DOCS} bad documents, stores none of them, and keeps serving`, async () => {
    const rnd = seededRandom(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const int = (n: number) => Math.floor(rnd() * n);
    const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
    const sibling = await createTestDevice(uniqueId('sib'), emp);
    const stranger = await createTestDevice(deviceId, other);
    const impostor = await createTestDevice(deviceId, emp);
    for (let i = 0; i < GENUINE; i++) impostor.attendance(); // its seqs run on past the genuine ones
    const payload = encodePayload('attendance', { v: 1, at: 1_764_000_000_000, type: 'clock-in', source: 'agent' });
    if (!payload.ok) throw new Error(payload.error.message);
    /** Validly signed with the device's own key, anywhere in the chain: only a compromised device can. */
    const signed = (seq: number, prevHash: Uint8Array): RecordDoc => {
      const s = new DeviceSealer(
        { deviceId, employeeId: emp, signPublicKey: key.publicKey, signSecretKey: key.privateKey },
        { nextSeq: seq, prevHash },
      );
      const r = s.seal('attendance', payload.value, [dev.orgKeyPair.publicKey], 1_764_000_000_000 + seq);
      if (!r.ok) throw new Error(r.error.message);
      const d = toRecordDoc(r.value.bytes);
      if (!d.ok) throw new Error(d.error.message);
      return d.value;
    };
    const hashOf = (r: RecordDoc): Uint8Array => {
      // the next record's prevHash is this one's chain hash: read it off a sealer that just sealed it
      const next = genuine[r.seq + 1];
      if (!next) throw new Error('no successor');
      const b = fromBase64(next.envelope);
      if (!b.ok) throw new Error('bad envelope');
      const at = 4 + 1 + next.class.length + 1 + next.deviceId.length + 1 + next.employeeId.length + 16 + 8 + 16;
      return b.value.slice(at, at + 32);
    };
    const envelopeBytes = (r: RecordDoc): Uint8Array => {
      const b = fromBase64(r.envelope);
      if (!b.ok) throw new Error('bad envelope');
      return Uint8Array.from(b.value);
    };
    const relabelled = (r: RecordDoc, seq: number): Doc => {
      const b = envelopeBytes(r);
      const at = 4 + 1 + r.class.length + 1 + r.deviceId.length + 1 + r.employeeId.length;
      new DataView(b.buffer).setUint32(at + 4, seq);
      return { ...toWire(r), _id: recordDocId(r.deviceId, seq), seq, envelope: toBase64(b) };
    };
    const stored = (): RecordDoc => genuine[int(GENUINE - 1)]!;

    const makers: Array<[string, () => Attack]> = [
      ['wrong owner', () => ({ kind: 'wrong owner', docs: [toWire(stranger.attendance())] })],
      ['another device of the employee', () => ({ kind: 'another device', docs: [toWire(sibling.attendance())] })],
      [
        'another employee in the clear fields',
        () => ({ kind: 'other employee', docs: [{ ...toWire(stored()), employeeId: other }] }),
      ],
      [
        'schema',
        () => {
          const base = toWire(stored()) as Doc;
          const variants: Doc[] = [
            { ...base, note: 'x'.repeat(int(2000)) },
            { ...base, seq: String(base.seq) },
            { ...base, envelope: 12345 },
            { _id: base._id, kind: 'attendance' },
            { ...base, kind: 'no-such-kind' },
            { ...base, _attachments: { a: { data: 'eA==' } } },
            { ...base, _id: `_design/x${int(1000)}` },
          ];
          return { kind: 'schema', docs: [pick(variants)] };
        },
      ],
      [
        'size',
        () => {
          const r = stored();
          const b = envelopeBytes(r);
          const junk = randomBytes(1 + int(4096));
          const grown = new Uint8Array(b.length + junk.length);
          grown.set(b);
          grown.set(junk, b.length);
          return {
            kind: 'size',
            docs: [
              pick([
                { ...toWire(r), envelope: toBase64(grown), bytes: grown.length },
                { ...toWire(r), envelope: toBase64(b.slice(0, int(b.length))) },
              ]),
            ],
          };
        },
      ],
      [
        'forged signature',
        () => {
          const r = impostor.attendance();
          const b = envelopeBytes(r);
          b.set(randomBytes(64), b.length - 64);
          return { kind: 'forged signature', docs: [{ ...toWire(r), envelope: toBase64(b) }] };
        },
      ],
      ['never-enrolled key', () => ({ kind: 'never-enrolled key', docs: [toWire(impostor.attendance())] })],
      [
        'replayed under another seq',
        () => ({ kind: 'replayed', docs: [relabelled(stored(), GENUINE + int(1_000_000))] }),
      ],
      [
        'reordered (clear seq changed)',
        () => {
          const r = stored();
          const seq = (r.seq + 1 + int(GENUINE)) % (GENUINE * 2);
          return { kind: 'reordered', docs: [{ ...toWire(r), _id: recordDocId(deviceId, seq), seq }] };
        },
      ],
      [
        'chain-breaking, signed with the device key',
        () => {
          const seq = 1 + int(GENUINE); // 1..GENUINE: a stored predecessor exists for each
          return { kind: 'chain-breaking', docs: [toWire(signed(seq, randomBytes(32)))] };
        },
      ],
      [
        'a fork of a stored seq, signed with the device key',
        () => {
          const at = genuine[int(GENUINE - 2)]!;
          return { kind: 'fork', docs: [toWire(signed(at.seq + 1, hashOf(at)))], newEdits: false };
        },
      ],
      [
        'deletion',
        () => {
          const r = stored();
          return {
            kind: 'deletion',
            docs: [
              {
                _id: r.id,
                _rev: `${1 + int(5)}-${Array.from(randomBytes(16), (x) => x.toString(16).padStart(2, '0')).join('')}`,
                _deleted: true,
              },
            ],
          };
        },
      ],
    ];

    const attacks: Attack[] = Array.from({ length: BAD_DOCS }, () => pick(makers)[1]());
    // the first ones one per request, so each kind's own refusal is seen; the rest in batches of mixed kinds
    const requests: Attack[] = attacks.slice(0, SINGLY);
    for (let i = SINGLY; i < attacks.length; i += BATCH) {
      const part = attacks.slice(i, i + BATCH);
      requests.push({
        kind: 'batch',
        docs: part.flatMap((a) => a.docs),
        ...(part.some((a) => a.newEdits === false) ? { newEdits: false as const } : {}),
      });
    }
    const outcomes = new Map<string, Map<number, number>>();
    const accepted: Array<{ attack: Attack; body: unknown }> = [];
    let next = 0;
    const t0 = performance.now();
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const a = requests[next++]!;
        const res = await t.json(token, 'POST', `/${dbNames.employeeRecords(emp)}/_bulk_docs`, {
          docs: a.docs,
          ...(a.newEdits === false ? { new_edits: false } : {}),
        });
        const byStatus = outcomes.get(a.kind) ?? new Map<number, number>();
        byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
        outcomes.set(a.kind, byStatus);
        if (
          res.status < 400 ||
          res.status >= 500 ||
          typeof res.body?.error !== 'string' ||
          typeof res.body?.reason !== 'string'
        )
          accepted.push({ attack: a, body: res.body });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const ms = performance.now() - t0;
    const table = [...outcomes].map(([k, v]) => `${k}: ${[...v].map(([s, n]) => `${n}×${s}`).join(' ')}`).join('; ');
    console.log(`${kind}: ${BAD_DOCS} bad documents in ${requests.length} requests, ${Math.round(ms)} ms — ${table}`);
    expect(accepted.slice(0, 3)).toEqual([]);
    expect(outcomes.size).toBe(makers.length + 1);

    // forged, chain-breaking and forking writes sent alone were flagged as integrity alerts, one per refusal
    const integrityRefusals = ['forged signature', 'never-enrolled key', 'chain-breaking', 'fork'].reduce(
      (n, k) => n + [...(outcomes.get(k) ?? new Map<number, number>()).values()].reduce((a, b) => a + b, 0),
      0,
    );
    expect(alerts.filter((a) => a.details?.outcome === 'refused').length).toBeGreaterThanOrEqual(integrityRefusals);

    // nothing of it is readable as valid data: the stored chain is the genuine one, whole
    const list = await t.server.engine.nano.use<RecordDoc>(dbNames.employeeRecords(emp)).list({ include_docs: true });
    const docs = list.rows
      .filter((r) => !r.id.startsWith('_design/'))
      .map((r) => r.doc as unknown as RecordDoc & { _id: string; _conflicts?: string[] });
    expect(docs.map((d) => d._id)).toEqual(genuine.map((g) => g.id));
    expect(docs.map((d) => d.envelope)).toEqual(genuine.map((g) => g.envelope));
    const envelopes = docs.map((d) => envelopeBytes(d));
    expect(verifyChain(envelopes, { deviceId, deviceSignPublicKey: key.publicKey })).toMatchObject({
      ok: true,
      verified: GENUINE,
    });
    const withConflicts = await t.server.engine.nano
      .use(dbNames.employeeRecords(emp))
      .fetch({ keys: genuine.map((g) => g.id) }, { conflicts: true } as never);
    expect(
      withConflicts.rows.filter((r) => 'doc' in r && (r.doc as { _conflicts?: unknown })?._conflicts !== undefined),
    ).toEqual([]);
    expect(
      (await t.server.engine.nano.use(dbNames.employeeRecords(other)).list()).rows.filter(
        (r) => !r.id.startsWith('_design/'),
      ),
    ).toEqual([]);
    const org = await eventually(
      async () => {
        const rows = (await t.server.engine.nano.use(dbNames.orgRecords).list()).rows
          .map((r) => r.id)
          .filter((id) => id.startsWith(`${deviceId}:`));
        return rows.length >= GENUINE ? rows : null;
      },
      30_000,
      'consolidation',
    );
    expect(org).toEqual(genuine.map((g) => g.id));

    // and the gateway still serves the device's next genuine record
    expect((await t.json(null, 'GET', '/')).status).toBe(200);
    const nextGenuine = dev.attendance();
    expect(
      (await t.json(token, 'POST', `/${dbNames.employeeRecords(emp)}/_bulk_docs`, { docs: [toWire(nextGenuine)] }))
        .status,
    ).toBe(201);
  }, 300_000);
});
