import { beforeAll, describe, expect, it } from 'vitest';
import { DeviceSealer, initSodium, verifyChain, type DeviceIdentity } from '../envelope/index.js';
import { createDeletionMarker, verifyDeletionMarker, type DeletionMarker } from './deletion-marker.js';

let device: DeviceIdentity;
let org: { signPublicKey: Uint8Array; signSecretKey: Uint8Array };
let other: { signPublicKey: Uint8Array; signSecretKey: Uint8Array };
let records: Uint8Array[];

beforeAll(async () => {
  const s = await initSodium();
  const k = s.crypto_sign_keypair();
  device = { deviceId: 'dev-1', employeeId: 'emp-1', signPublicKey: k.publicKey, signSecretKey: k.privateKey };
  const o = s.crypto_sign_keypair();
  org = { signPublicKey: o.publicKey, signSecretKey: o.privateKey };
  const x = s.crypto_sign_keypair();
  other = { signPublicKey: x.publicKey, signSecretKey: x.privateKey };
  const box = s.crypto_box_keypair().publicKey;
  const sealer = new DeviceSealer(device);
  records = [];
  for (let i = 0; i < 6; i++) {
    const r = sealer.seal('screenshot', new TextEncoder().encode(`shot ${i}`), [box], 1_700_000_000_000 + i * 60_000);
    if (!r.ok) throw new Error(r.error.message);
    records.push(r.value.bytes);
  }
});

const expectation = {
  deviceId: 'dev-1',
  get deviceSignPublicKey() {
    return device.signPublicKey;
  },
};
const marker = (i: number, signer = org): DeletionMarker => {
  const m = createDeletionMarker(records[i]!, { kind: 'screenshot', deletedAt: 1, deletedBy: 'user:root' }, signer);
  if (!m.ok) throw new Error(m.error.message);
  return m.value;
};
const link = (m: DeletionMarker) => {
  const v = verifyDeletionMarker(JSON.parse(JSON.stringify(m)), org.signPublicKey);
  if (!v.ok) throw new Error(v.error.message);
  return v.value;
};

describe('deletion markers in chain verification', () => {
  it('a deleted record without a marker is a gap; with the signed marker the chain is whole', () => {
    const kept = records.filter((_, i) => i !== 2 && i !== 3);
    expect(verifyChain(kept, expectation).issues.map((i) => i.type)).toEqual(['missing']);
    const r = verifyChain(kept, { ...expectation, deleted: [link(marker(2)), link(marker(3))] });
    expect(r).toMatchObject({ ok: true, verified: 4, issues: [], deleted: [2, 3] });
  });

  it('a deleted tail record is bridged too, and the head is the marker', () => {
    const r = verifyChain(records.slice(0, 5), { ...expectation, deleted: [link(marker(5))] });
    expect(r.ok).toBe(true);
    expect(r.head?.seq).toBe(5);
  });

  it('a marker cannot cover a different record: its neighbours must link to its hashes', () => {
    const kept = records.filter((_, i) => i !== 2);
    const wrong = { ...link(marker(4)), seq: 2 }; // the hashes of another record, placed at seq 2
    expect(verifyChain(kept, { ...expectation, deleted: [wrong] }).issues.map((i) => i.type)).toContain('broken-link');
  });

  it('a marker not signed by the organisation, or altered after signing, is refused', () => {
    expect(verifyDeletionMarker(marker(2, other), org.signPublicKey)).toMatchObject({
      ok: false,
      error: { code: 'untrusted-signer' },
    });
    expect(verifyDeletionMarker({ ...marker(2), seq: 3 }, org.signPublicKey)).toMatchObject({
      ok: false,
      error: { code: 'bad-signature' },
    });
    expect(verifyDeletionMarker({ type: 'record-deletion' }, org.signPublicKey).ok).toBe(false);
  });

  it('a marker for a record that is still present changes nothing', () => {
    expect(verifyChain(records, { ...expectation, deleted: [link(marker(1))] })).toMatchObject({
      ok: true,
      verified: 6,
    });
  });
});
