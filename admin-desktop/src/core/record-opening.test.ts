// Opening replica rows: what opens is data; forged, altered, foreign-device
// and not-for-us records never are. Real sealed envelopes (shared DeviceSealer).
import { beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeOpener, fromBase64, initSodium, toBase64 } from '@sealtime/shared';
import { createTestDevice, type TestDevice } from '@sealtime/sync-server/testing';
import { openReplicaDocs } from './record-opening.js';
import type { ReplicaDoc } from './replica-store.js';

let dev: TestDevice;
let opener: EnvelopeOpener;
const row = (d: { id: string; employeeId: string; deviceId: string; seq: number; envelope: string }): ReplicaDoc => ({
  id: d.id,
  source: 'st-org-records',
  employeeId: d.employeeId,
  deviceId: d.deviceId,
  seq: d.seq,
  envelope: d.envelope,
  hint: {},
  hour: 0,
});

beforeAll(async () => {
  await initSodium();
  dev = await createTestDevice('dev-1', 'ada');
  opener = new EnvelopeOpener([{ publicKey: dev.orgKeyPair.publicKey, secretKey: dev.orgKeyPair.privateKey }]);
});

describe('openReplicaDocs', () => {
  it('opens verified records with kind and time from the envelope, not the clear row', () => {
    const a = dev.attendance(1_764_000_000_000);
    const out = openReplicaDocs(
      [{ ...row(a), hint: { kind: 'activity-slot', createdAt: 1 } }],
      opener,
      () => new Map([['dev-1', dev.signPublicKey]]),
    );
    expect(out.problems).toEqual([]);
    expect(out.records).toHaveLength(1);
    expect(out.records[0]).toMatchObject({
      kind: 'attendance',
      createdAt: 1_764_000_000_000,
      integrity: 'ok',
      employeeId: 'ada',
      deviceId: 'dev-1',
    });
  });

  it('turns altered bytes, a stranger device, a lying row and foreign keys into problems or counts', async () => {
    const good = dev.activity();
    const bytes = fromBase64(good.envelope);
    if (!bytes.ok) throw new Error(bytes.error.message);
    const altered = Uint8Array.from(bytes.value);
    altered[altered.length - 5]! ^= 0xff;
    const other = await createTestDevice('dev-2', 'ada');
    const keys = () => new Map([['dev-1', dev.signPublicKey]]);
    const out = openReplicaDocs(
      [
        { ...row(good), envelope: toBase64(altered) },
        row(other.activity()), // not enrolled for ada
        { ...row(dev.activity()), employeeId: 'bob' }, // the clear row claims another employee
        { ...row(good), envelope: 'not base64 at all!' },
      ],
      opener,
      keys,
    );
    expect(out.records).toEqual([]);
    expect(out.problems.map((p) => p.code)).toEqual([
      'bad-signature',
      'unknown-device',
      'bad-signature',
      'undecodable',
    ]);
    // sealed to keys this opener lacks: counted, not a problem, not data
    const foreign = openReplicaDocs([row(other.activity())], opener, () => new Map([['dev-2', other.signPublicKey]]));
    expect(foreign).toMatchObject({ records: [], cannotOpen: 1, problems: [] });
    // no device keys for this role (HR): opened, marked unverified
    expect(openReplicaDocs([row(dev.activity())], opener, () => null).records[0]!.integrity).toBe('unverified');
  });
});
