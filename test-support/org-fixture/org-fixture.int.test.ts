// A small organisation (3 people × 3 days) generated, sealed by the recorder's
// own code and stored on a real server (embedded engine) through its API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  computeDay,
  decodePayload,
  EnvelopeOpener,
  fromBase64,
  hourOf,
  localDateOf,
  routingClassOf,
  verifyChain,
  type ActivitySlotPayload,
  type AttendanceEvent,
  type RecordDoc,
  type RecordKind,
} from '@sealtime/shared';
import {
  activeKeys,
  chainStatus,
  deviceKeys,
  openContext,
  readRecords,
  unlockRing,
  type AdminContext,
} from '@sealtime/admin-desktop/node';
import { lowParams, ROOT_PASSWORD, startAdminTestServer, type AdminTestServer } from '@sealtime/admin-desktop/testing';
import {
  generateOrg,
  HR_PASSPHRASE,
  ORG_PASSPHRASE,
  planDevice,
  recordCount,
  storeOrg,
  teamPassphrase,
  type OrgPlan,
  type StoredOrg,
} from './index.js';

let srv: AdminTestServer;
let org: OrgPlan;
let stored: StoredOrg;
let ctx: AdminContext;
const options = { seed: 7, people: 3, days: 3, endDate: '2026-11-27', timeZone: 'Europe/Berlin' };

beforeAll(async () => {
  srv = await startAdminTestServer();
  org = await generateOrg(options);
  const params = await lowParams();
  const profileDir = await srv.profile();
  stored = await storeOrg(org, {
    url: srv.url,
    superAdmin: { userId: 'root', password: ROOT_PASSWORD },
    profileDir,
    keyParams: { opsLimit: params.opsLimit, memLimitBytes: params.memLimitBytes },
  });
  ctx = await openContext({ profileDir });
}, 600_000);

afterAll(async () => {
  await srv?.close();
});

const envelope = (d: { envelope: string }) => {
  const b = fromBase64(d.envelope);
  if (!b.ok) throw new Error(b.error.message);
  return b.value;
};

async function unlocked(role: 'organisation' | 'hr' | 'team', id: string, passphrase: string) {
  const { org: ring } = await ctx.custody.unlockOrg(ORG_PASSPHRASE);
  const doc = role === 'organisation' ? ring.doc : await ctx.custody.requireRing(role, id, ring.signPublicKey);
  const k = activeKeys(unlockRing(doc, passphrase));
  return new EnvelopeOpener([{ publicKey: k.boxPublicKey, secretKey: k.boxSecretKey }]);
}

async function allDeviceKeys(): Promise<Map<string, Uint8Array>> {
  const keys = new Map<string, Uint8Array>();
  for (const p of org.people) for (const [id, k] of (await deviceKeys(ctx.client, p.employeeId))!) keys.set(id, k);
  return keys;
}

/**
 * Docs opened with the organisation's key (a recipient of every class): a
 * version 2 doc shows only its class and hour, so the kind and time come from
 * inside. Each doc's clear class and hour must agree with them.
 */
async function openAll(
  docs: RecordDoc[],
): Promise<Array<{ doc: RecordDoc; kind: RecordKind; createdAt: number; payload: Uint8Array }>> {
  const opener = await unlocked('organisation', org.orgId, ORG_PASSPHRASE);
  const keys = await allDeviceKeys();
  return docs.map((doc) => {
    const o = opener.open(envelope(doc), keys.get(doc.deviceId)!);
    if (!o.ok) throw new Error(`${doc.id}: ${o.error.message}`);
    const { kind, createdAt } = o.value.envelope;
    expect([doc.id, doc.class, doc.hour]).toEqual([doc.id, routingClassOf(kind), hourOf(createdAt)]);
    return { doc, kind: kind as RecordKind, createdAt, payload: o.value.payload };
  });
}

describe('org fixture on a real server', () => {
  it('stores every device and a realistic mix of records', () => {
    expect(org.people.map((p) => [p.employeeId, p.shift, p.jiggler, p.correction, p.devices.length])).toEqual([
      ['emp-001', 'night', false, false, 1],
      ['emp-002', 'day', false, true, 2],
      ['emp-003', 'day', true, false, 1],
    ]);
    expect(stored.devices).toHaveLength(4);
    const k = stored.totals.byKind;
    expect(k['attendance']).toBeGreaterThanOrEqual(3 * 3 * 3);
    expect(k['activity-slot']! / 9).toBeGreaterThan(40);
    expect(k['app-event']).toBeUndefined(); // app usage rides in the slots (v2)
    expect(k['screenshot']! / 9).toBeGreaterThan(40);
    expect(k['screenshot']).toBe(stored.totals.blobs);
    expect(k['device-info']).toBe(4);
    expect(k['correction-request']).toBe(1);
    expect(k['integrity-alert']).toBe(3); // the jiggler, once a day
    expect(stored.users.map((u) => u.role).sort()).toEqual(['admin', 'hr', 'manager', 'member', 'member', 'member']);
  });

  it('every device chain (records and images) verifies, and nothing is missing', async () => {
    for (const person of org.people) {
      const docs = await readRecords(ctx.client, 'st-org-records', person.employeeId);
      const keys = await deviceKeys(ctx.client, person.employeeId);
      const status = chainStatus(docs, keys, true);
      const mine = stored.devices.filter((d) => d.employeeId === person.employeeId && d.records > 0);
      expect(status.map((s) => [s.deviceId, s.status, s.records]).sort()).toEqual(
        mine.map((d) => [d.deviceId, 'intact', d.records]).sort(),
      );
      const blobs = await ctx.client.allDocs<{ deviceId: string; envelope: string; _id: string }>(
        `st-emp-${person.employeeId}-blobs`,
      );
      for (const d of mine) {
        const images = blobs.filter((b) => b.deviceId === d.deviceId).sort((a, b) => a._id.localeCompare(b._id));
        expect(images).toHaveLength(d.blobs);
        const report = verifyChain(images.map(envelope), {
          deviceId: d.deviceId,
          deviceSignPublicKey: keys!.get(d.deviceId)!,
        });
        expect([report.ok, report.verified]).toEqual([true, d.blobs]);
      }
    }
  });

  it('consolidated databases hold what each role may read, and only that', async () => {
    for (const [db, n] of Object.entries(stored.expected))
      expect([db, await recordCount(ctx.client, db)]).toEqual([db, n]);
    // paged: a page the gateway shortened (its design document dropped) is not the last one
    expect(await recordCount(ctx.client, 'st-org-records', 100)).toBe(stored.expected['st-org-records']);
    expect(stored.expected['st-org-records']).toBe(stored.totals.records);
    const hr = await openAll(await readRecords(ctx.client, 'st-hr-attendance'));
    expect(new Set(hr.map((d) => d.kind))).toEqual(new Set(['attendance', 'correction-request']));
    expect(hr).toHaveLength(stored.totals.byKind['attendance']! + 1);
    const team = await openAll(await readRecords(ctx.client, `st-team-${org.teams[0]!.teamId}-records`));
    // the team's attendance is the manager's too (worked time); device info stays the organisation's
    expect(team.some((d) => d.kind === 'device-info')).toBe(false);
    expect(team.some((d) => d.kind === 'attendance')).toBe(true);
    expect(team.some((d) => d.kind === 'screenshot')).toBe(true);
  });

  it("HR's key opens attendance but not screenshot records; the team's key opens screenshots with their thumbnails", async () => {
    const org0 = await openAll(await readRecords(ctx.client, 'st-org-records'));
    const keys = await allDeviceKeys();
    const shot = org0.find((d) => d.kind === 'screenshot')!.doc;
    const att = org0.find((d) => d.kind === 'attendance')!.doc;
    const hr = await unlocked('hr', org.orgId, HR_PASSPHRASE);
    expect(hr.open(envelope(shot), keys.get(shot.deviceId)!)).toMatchObject({
      ok: false,
      error: { code: 'not-a-recipient' },
    });
    expect(hr.open(envelope(att), keys.get(att.deviceId)!).ok).toBe(true);
    const teamOf = org.people.find((p) => p.employeeId === shot.employeeId)!.teamId;
    const team = await unlocked('team', teamOf, teamPassphrase(teamOf));
    const opened = team.open(envelope(shot), keys.get(shot.deviceId)!);
    expect(opened.ok).toBe(true);
    if (!opened.ok) return;
    const payload = decodePayload('screenshot', opened.value.payload);
    expect(payload.ok && payload.value.thumb!.length).toBeGreaterThan(100);
    // the blur list's app is blurred on the device, thumbnail included
    const all = org0
      .filter((d) => d.kind === 'screenshot')
      .map(({ doc: d }) => team.open(envelope(d), keys.get(d.deviceId)!))
      .flatMap((o) => (o.ok ? [decodePayload('screenshot', o.value.payload)] : []));
    const blurred = all.flatMap((p) => (p.ok && p.value.blurred ? [p.value] : []));
    expect(blurred.length).toBeGreaterThan(0);
    expect(blurred.every((p) => p.app === 'KeePassXC')).toBe(true);
  });

  it("the night shift's hours fall on the right local dates", async () => {
    const night = org.people.find((p) => p.shift === 'night')!;
    const docs = await openAll(await readRecords(ctx.client, 'st-org-records', night.employeeId));
    const payloads = (kind: RecordKind) =>
      docs
        .filter((d) => d.kind === kind)
        .map((d) => {
          const p = decodePayload(kind as 'attendance', d.payload);
          if (!p.ok) throw new Error(p.error.message);
          return p.value;
        });
    const events: AttendanceEvent[] = payloads('attendance').map((p) => ({ at: p.at, type: p.type, source: p.source }));
    const tz = org.timeZone;
    // each shift clocks in at ~22:00 on a working date and out ~06:00 the next date
    const ins = events.filter((e) => e.type === 'clock-in').map((e) => localDateOf(e.at, tz));
    const outs = events.filter((e) => e.type === 'clock-out').map((e) => localDateOf(e.at, tz));
    expect(ins).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    expect(outs).toEqual(['2026-11-26', '2026-11-27', '2026-11-28']);
    const h = (date: string) => computeDay(events, night.schedule, date).workedMs / 3_600_000;
    // Wednesday: 22:00 to midnight only; Saturday: the last shift's morning (after its break), a day with no shift of its own
    expect(h('2026-11-25')).toBeGreaterThan(1.8);
    expect(h('2026-11-25')).toBeLessThan(2.2);
    expect(h('2026-11-28')).toBeGreaterThan(5);
    expect(h('2026-11-28')).toBeLessThan(6);
    expect(h('2026-11-25') + h('2026-11-26') + h('2026-11-27') + h('2026-11-28')).toBeGreaterThan(3 * 7);
    // slots after midnight are recorded on the next local date
    const slotDates = new Set(
      payloads('activity-slot').map((p) => localDateOf((p as unknown as { start: number }).start, tz)),
    );
    expect([...slotDates].sort()).toEqual(['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28']);
    // every worked slot carries its app usage; no slot claims more focus than its length
    const slots = payloads('activity-slot') as unknown as ActivitySlotPayload[];
    expect(slots.filter((p) => (p.apps?.length ?? 0) > 0).length / slots.length).toBeGreaterThan(0.9);
    for (const p of slots)
      expect((p.apps ?? []).reduce((n, a) => n + a.seconds, 0) + (p.appsOtherSeconds ?? 0)).toBeLessThanOrEqual(
        p.slotSeconds,
      );
  });

  it('same seed, same plaintext payloads; another seed, other payloads; stored records are the plan', async () => {
    const again = await generateOrg(options);
    const other = await generateOrg({ ...options, seed: 8 });
    const plain = (o: OrgPlan) =>
      o.people.flatMap((p) => p.devices.map((d) => JSON.stringify([...planDevice(o, p, d, 'dev-x')])));
    expect(plain(again)).toEqual(plain(org));
    expect(plain(other)).not.toEqual(plain(org));
    expect(again.people.map((p) => p.devices.map((d) => Buffer.from(d.signPublicKey).toString('hex')))).toEqual(
      org.people.map((p) => p.devices.map((d) => Buffer.from(d.signPublicKey).toString('hex'))),
    );

    const person = org.people[1]!;
    const dev = stored.devices.find((d) => d.employeeId === person.employeeId && d.records > 0)!;
    const planned = [
      ...planDevice(
        org,
        person,
        person.devices.find((d) => d.key === dev.key)!,
        dev.deviceId,
      ),
    ];
    const docs = await openAll(
      (await readRecords(ctx.client, 'st-org-records', person.employeeId)).filter((d) => d.deviceId === dev.deviceId),
    );
    expect(docs.map((d) => d.kind)).toEqual(planned.map((p) => (p.type === 'screenshot' ? 'screenshot' : p.kind)));
    docs.forEach((d, i) => {
      const p = decodePayload(d.kind as 'attendance', d.payload);
      const plan = planned[i]!;
      expect(d.createdAt).toBe(plan.createdAt);
      if (plan.type === 'record') expect(p.ok && p.value).toEqual(plan.payload);
      else expect(p.ok && p.value).toMatchObject(plan.meta);
    });
  });
});
