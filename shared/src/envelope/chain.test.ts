import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceSealer, initSodium, verifyChain, type ChainIssue, type DeviceIdentity } from './index.js';

let device: DeviceIdentity;
let orgPk: Uint8Array;
let records: Uint8Array[];

beforeAll(async () => {
  const s = await initSodium();
  const k = s.crypto_sign_keypair();
  device = { deviceId: 'dev-1', employeeId: 'emp-1', signPublicKey: k.publicKey, signSecretKey: k.privateKey };
  orgPk = s.crypto_box_keypair().publicKey;
  const sealer = new DeviceSealer(device);
  records = [];
  for (let i = 0; i < 10; i++) {
    const r = sealer.seal(
      'activity-slot',
      new TextEncoder().encode(`slot ${i}`),
      [orgPk],
      1_700_000_000_000 + i * 60_000,
    );
    if (!r.ok) throw new Error(r.error.message);
    records.push(r.value.bytes);
  }
});

const expectation = () => ({ deviceId: 'dev-1', deviceSignPublicKey: device.signPublicKey });
const types = (issues: ChainIssue[]) => issues.map((i) => i.type);

describe('verifyChain', () => {
  it('accepts an intact chain and reports its head', () => {
    const r = verifyChain(records, expectation());
    expect(r).toMatchObject({ ok: true, verified: 10, issues: [] });
    expect(r.head?.seq).toBe(9);
  });

  it('continues from a previous head', () => {
    const first = verifyChain(records.slice(0, 4), expectation());
    const hash = Uint8Array.from(Buffer.from(first.head!.hash, 'hex'));
    const rest = verifyChain(records.slice(4), { ...expectation(), fromSeq: 4, prevHash: hash });
    expect(rest.ok).toBe(true);
    const wrongStart = verifyChain(records.slice(4), { ...expectation(), fromSeq: 4 });
    expect(types(wrongStart.issues)).toEqual(['broken-link']);
  });

  it('names missing records as seq ranges', () => {
    const r = verifyChain([...records.slice(0, 3), ...records.slice(6)], expectation());
    expect(r.issues).toEqual([{ type: 'missing', fromSeq: 3, toSeq: 5, claimedByInvalid: [] }]);
    const tail = verifyChain(records.slice(1), expectation());
    expect(tail.issues).toEqual([{ type: 'missing', fromSeq: 0, toSeq: 0, claimedByInvalid: [] }]);
  });

  it('names reordered records by position', () => {
    const shuffled = [records[0]!, records[2]!, records[1]!, ...records.slice(3)];
    const r = verifyChain(shuffled, expectation());
    expect(r.issues).toEqual([{ type: 'reordered', index: 2, seq: 1, afterSeq: 2 }]);
  });

  it('names an altered record and the hole it leaves', () => {
    const altered = records.map((r) => Uint8Array.from(r));
    const target = altered[4]!;
    target[target.length - 70] = target[target.length - 70]! ^ 0xff; // inside the ciphertext
    const r = verifyChain(altered, expectation());
    expect(types(r.issues)).toEqual(['altered', 'missing']);
    expect(r.issues[0]).toMatchObject({ type: 'altered', index: 4, seq: 4 });
    expect(r.issues[1]).toEqual({ type: 'missing', fromSeq: 4, toSeq: 4, claimedByInvalid: [4] });
  });

  it('names a forged record signed by another key and one claiming another device', async () => {
    const s = await initSodium();
    const k = s.crypto_sign_keypair();
    const impostor = new DeviceSealer(
      { ...device, signPublicKey: k.publicKey, signSecretKey: k.privateKey },
      { nextSeq: 10, prevHash: new Uint8Array(32) },
    );
    const forged = impostor.seal('activity-slot', new TextEncoder().encode('fake'), [orgPk], 1);
    const otherDevice = new DeviceSealer(
      { ...device, deviceId: 'dev-2' },
      { nextSeq: 10, prevHash: new Uint8Array(32) },
    );
    const foreign = otherDevice.seal('activity-slot', new TextEncoder().encode('x'), [orgPk], 1);
    if (!forged.ok || !foreign.ok) throw new Error('setup');
    const r = verifyChain([...records, forged.value.bytes, foreign.value.bytes], expectation());
    expect(r.issues[0]).toMatchObject({ type: 'forged', index: 10, seq: 10 });
    expect(r.issues[1]).toMatchObject({ type: 'forged', index: 11 });
    expect(r.ok).toBe(false);
  });

  it('tells a harmless duplicate from a fork', () => {
    const dup = verifyChain([...records, records[3]!], expectation());
    expect(dup.ok).toBe(true);
    expect(types(dup.issues)).toEqual(['duplicate']);
    // the device key signing a second, different seq 3 is a fork
    const sealer = new DeviceSealer(device, { nextSeq: 3, prevHash: new Uint8Array(32) });
    const other = sealer.seal('activity-slot', new TextEncoder().encode('other'), [orgPk], 5);
    if (!other.ok) throw new Error('setup');
    const fork = verifyChain([...records, other.value.bytes], expectation());
    expect(types(fork.issues)).toEqual(['fork']);
  });

  it('reports garbage as malformed without stopping', () => {
    const r = verifyChain([records[0]!, new Uint8Array([1, 2, 3]), ...records.slice(1)], expectation());
    expect(types(r.issues)).toEqual(['malformed']);
    expect(r.verified).toBe(10);
  });
});
