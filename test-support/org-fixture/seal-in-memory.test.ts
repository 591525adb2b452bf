// One person, one day, sealed in memory with test-org keys: the chains verify
// and the right keys open the right kinds.
import { describe, expect, it } from 'vitest';
import { decodePayload, EnvelopeOpener, fromBase64, verifyChain, type RecordDoc } from '@sealtime/shared';
import { createTestOrg } from '../test-org.js';
import { generateOrg } from './org-plan.js';
import { planDevice } from './day-plan.js';
import { sealOrgInMemory } from './seal-in-memory.js';

const bytes = (d: { envelope: string }) => {
  const b = fromBase64(d.envelope);
  if (!b.ok) throw new Error(b.error.message);
  return b.value;
};

describe('sealOrgInMemory', () => {
  it('seals a day of one device into verifying chains that the recipients, and only they, can open', async () => {
    const org = await generateOrg({ seed: 3, people: 1, days: 1, endDate: '2026-11-25' });
    const keys = await createTestOrg();
    const records: RecordDoc[] = [];
    const blobs: Array<{ envelope: string }> = [];
    let deviceId = '';
    for await (const b of sealOrgInMemory(org, keys)) {
      records.push(...b.records);
      blobs.push(...b.blobs);
      deviceId = b.deviceId;
    }
    const device = org.people[0]!.devices[0]!;
    expect(records.length).toBe([...planDevice(org, org.people[0]!, device, deviceId)].length);
    expect(records.length).toBeGreaterThan(100);
    expect(verifyChain(records.map(bytes), { deviceId, deviceSignPublicKey: device.signPublicKey })).toMatchObject({ ok: true, verified: records.length });
    expect(verifyChain(blobs.map(bytes), { deviceId, deviceSignPublicKey: device.signPublicKey })).toMatchObject({ ok: true, verified: blobs.length });
    const hr = new EnvelopeOpener([{ publicKey: keys.hr.boxPublicKey, secretKey: keys.hr.boxSecretKey }]);
    const team = new EnvelopeOpener([{ publicKey: keys.team(org.people[0]!.teamId).boxPublicKey, secretKey: keys.team(org.people[0]!.teamId).boxSecretKey }]);
    const shot = records.find((r) => r.kind === 'screenshot')!;
    const att = records.find((r) => r.kind === 'attendance')!;
    expect(hr.open(bytes(shot), device.signPublicKey)).toMatchObject({ ok: false, error: { code: 'not-a-recipient' } });
    expect(hr.open(bytes(att), device.signPublicKey).ok).toBe(true);
    expect(team.open(bytes(att), device.signPublicKey)).toMatchObject({ ok: false, error: { code: 'not-a-recipient' } });
    const opened = team.open(bytes(shot), device.signPublicKey);
    const payload = opened.ok ? decodePayload('screenshot', opened.value.payload) : undefined;
    expect(payload?.ok && Buffer.from(payload.value.thumb!, 'base64').subarray(0, 4).toString()).toBe('RIFF');
  }, 120_000);
});
