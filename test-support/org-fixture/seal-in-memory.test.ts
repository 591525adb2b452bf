// One person, one day, sealed in memory with test-org keys: the chains verify
// and the right keys open the right kinds.
import { describe, expect, it } from 'vitest';
import { decodePayload, EnvelopeOpener, fromBase64, hourOf, KIND_CLASS, verifyChain } from '@sealtime/shared';
import { createTestOrg } from '../test-org.js';
import { generateOrg } from './org-plan.js';
import { planDevice } from './day-plan.js';
import { sealOrgInMemory } from './seal-in-memory.js';
import type { SealedRecord } from './seal-device.js';

const bytes = (d: { envelope: string }) => {
  const b = fromBase64(d.envelope);
  if (!b.ok) throw new Error(b.error.message);
  return b.value;
};

describe('sealOrgInMemory', () => {
  it('seals a day of one device into verifying chains that the recipients, and only they, can open', async () => {
    const org = await generateOrg({ seed: 3, people: 1, days: 1, endDate: '2026-11-25' });
    const keys = await createTestOrg();
    const records: SealedRecord[] = [];
    const blobs: Array<{ envelope: string }> = [];
    let deviceId = '';
    for await (const b of sealOrgInMemory(org, keys)) {
      records.push(...b.records);
      blobs.push(...b.blobs);
      deviceId = b.deviceId;
    }
    const device = org.people[0]!.devices[0]!;
    const planned = [...planDevice(org, org.people[0]!, device, deviceId)];
    expect(records.length).toBe(planned.length);
    expect(records.length).toBeGreaterThan(100);
    // the kind and time carried beside each doc are the plan's; the doc shows only their class and hour
    expect(records.map((r) => [r.kind, r.createdAt])).toEqual(
      planned.map((p) => [p.type === 'screenshot' ? 'screenshot' : p.kind, p.createdAt]),
    );
    expect(
      records.every(
        (r) =>
          r.doc.class === KIND_CLASS[r.kind] &&
          r.doc.hour === hourOf(r.createdAt) &&
          !('kind' in r.doc) &&
          !('createdAt' in r.doc),
      ),
    ).toBe(true);
    expect(
      verifyChain(
        records.map((r) => bytes(r.doc)),
        { deviceId, deviceSignPublicKey: device.signPublicKey },
      ),
    ).toMatchObject({ ok: true, verified: records.length });
    expect(verifyChain(blobs.map(bytes), { deviceId, deviceSignPublicKey: device.signPublicKey })).toMatchObject({
      ok: true,
      verified: blobs.length,
    });
    const hr = new EnvelopeOpener([{ publicKey: keys.hr.boxPublicKey, secretKey: keys.hr.boxSecretKey }]);
    const team = new EnvelopeOpener([
      {
        publicKey: keys.team(org.people[0]!.teamId).boxPublicKey,
        secretKey: keys.team(org.people[0]!.teamId).boxSecretKey,
      },
    ]);
    const shot = records.find((r) => r.kind === 'screenshot')!;
    const att = records.find((r) => r.kind === 'attendance')!;
    expect(hr.open(bytes(shot.doc), device.signPublicKey)).toMatchObject({
      ok: false,
      error: { code: 'not-a-recipient' },
    });
    expect(hr.open(bytes(att.doc), device.signPublicKey)).toMatchObject({
      ok: true,
      value: { envelope: { kind: 'attendance', createdAt: att.createdAt } },
    });
    // attendance is sealed to the team key too: the team's manager sees who worked when
    expect(team.open(bytes(att.doc), device.signPublicKey)).toMatchObject({
      ok: true,
      value: { envelope: { kind: 'attendance', createdAt: att.createdAt } },
    });
    const opened = team.open(bytes(shot.doc), device.signPublicKey);
    expect(opened).toMatchObject({ ok: true, value: { envelope: { kind: 'screenshot', createdAt: shot.createdAt } } });
    const payload = opened.ok ? decodePayload('screenshot', opened.value.payload) : undefined;
    expect(payload?.ok && Buffer.from(payload.value.thumb!, 'base64').subarray(0, 4).toString()).toBe('RIFF');
  }, 120_000);
});
