// The recorder on a real LevelDB store: chain continuity across reopen, 1000
// records verifying, screenshots bound to their images, typed errors that
// leave no gap, serialised concurrent writes, clock and budget alerts.
import { afterEach, describe, expect, it } from 'vitest';
import {
  EnvelopeOpener,
  decodePayload,
  fromBase64,
  initSodium,
  toHex,
  verifyChain,
  verifyEnvelope,
  type IntegrityAlertPayload,
} from '@sealtime/shared';
import { directoryBytes } from '../store/disk-usage.js';
import { openAgentStore, type AgentStore } from '../store/agent-store.js';
import { ForeignChainError } from './chain-recovery.js';
import { Recorder } from './recorder.js';
import { StaticRecipientDirectory } from './recipients.js';
import { directoryOf, makeKeys, storedEnvelopes, tempDir, type Keys } from './recorder.fixture.js';
import type { TimeSources } from './monotonic-clock.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ dir: string; store: AgentStore; keys: Keys }> {
  const t = tempDir('st-recorder-');
  cleanups.push(t.cleanup);
  const store = await openAgentStore(t.dir);
  cleanups.push(() => store.close());
  return { dir: t.dir, store, keys: await makeKeys() };
}

const slot = (start: number, keyPresses = 1) => ({
  v: 1 as const,
  start,
  slotSeconds: 60,
  activeSeconds: 30,
  keyPresses,
  clicks: 2,
  mouseMoves: 3,
  scrolls: 4,
});

async function alertsIn(store: AgentStore, keys: Keys): Promise<IntegrityAlertPayload[]> {
  const { envelopes } = await storedEnvelopes(store, keys.device.deviceId);
  const opener = new EnvelopeOpener([keys.roles.organisation]);
  const out: IntegrityAlertPayload[] = [];
  for (const e of envelopes) {
    const o = opener.open(e, keys.device.signPublicKey);
    if (!o.ok || o.value.envelope.kind !== 'integrity-alert') continue;
    const p = decodePayload('integrity-alert', o.value.payload);
    if (p.ok) out.push(p.value);
  }
  return out;
}

describe('Recorder', () => {
  it('continues the same chain after the store is closed and reopened', async () => {
    const { dir, store, keys } = await setup();
    const first = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    for (let i = 0; i < 5; i++) expect((await first.record('activity-slot', slot(Date.now(), i))).ok).toBe(true);
    const headBefore = toHex(first.head.prevHash);
    await first.close();
    await store.close();
    cleanups.pop();

    const again = await openAgentStore(dir);
    cleanups.push(() => again.close());
    const second = await Recorder.open({ store: again, device: keys.device, recipients: directoryOf(keys) });
    expect(second.head.nextSeq).toBe(5);
    expect(toHex(second.head.prevHash)).toBe(headBefore);
    const r = await second.record('app-event', { v: 1, start: second.now(), durationMs: 1000, app: 'xterm' });
    expect(r.ok && r.value.seq).toBe(5);
    const { seqs, envelopes } = await storedEnvelopes(again, keys.device.deviceId);
    expect(seqs).toEqual([0, 1, 2, 3, 4, 5]);
    const report = verifyChain(envelopes, {
      deviceId: keys.device.deviceId,
      deviceSignPublicKey: keys.device.signPublicKey,
    });
    expect(report).toMatchObject({ ok: true, verified: 6, issues: [] });
    await second.close();
  });

  it('seals 1000 records whose chain verifies, each readable by exactly its recipients', async () => {
    const { store, keys } = await setup();
    const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) {
      const r =
        i % 10 === 0
          ? await recorder.record('attendance', (at) => ({
              v: 1,
              at,
              type: i % 20 === 0 ? 'clock-in' : 'clock-out',
              source: 'agent',
            }))
          : await recorder.record('activity-slot', slot(recorder.now(), i));
      expect(r.ok).toBe(true);
    }
    const perRecordMs = (performance.now() - t0) / 1000;
    const { seqs, envelopes } = await storedEnvelopes(store, keys.device.deviceId);
    expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const t1 = performance.now();
    const report = verifyChain(envelopes, {
      deviceId: keys.device.deviceId,
      deviceSignPublicKey: keys.device.signPublicKey,
    });
    const verifyMs = performance.now() - t1;
    expect(report.ok).toBe(true);
    expect(report.verified).toBe(1000);
    expect(report.head?.seq).toBe(999);
    // HR reads attendance but not activity; the team both (its manager reviews worked time)
    const hr = new EnvelopeOpener([keys.roles.hr]);
    const team = new EnvelopeOpener([keys.roles.team]);
    expect(hr.open(envelopes[0]!, keys.device.signPublicKey).ok).toBe(true);
    expect(hr.open(envelopes[1]!, keys.device.signPublicKey).ok).toBe(false);
    expect(team.open(envelopes[0]!, keys.device.signPublicKey).ok).toBe(true);
    expect(team.open(envelopes[1]!, keys.device.signPublicKey).ok).toBe(true);
    console.log(`1000 durable records: ${perRecordMs.toFixed(2)} ms per record; verifyChain ${verifyMs.toFixed(0)} ms`);
    await recorder.close();
  });

  it('serialises concurrent writes: no fork, no gap', async () => {
    const { store, keys } = await setup();
    const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => recorder.record('activity-slot', slot(1_764_000_000_000, i))),
    );
    const seqs = results.map((r) => (r.ok ? r.value.seq : -1)).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const { envelopes } = await storedEnvelopes(store, keys.device.deviceId);
    expect(
      verifyChain(envelopes, { deviceId: keys.device.deviceId, deviceSignPublicKey: keys.device.signPublicKey }).ok,
    ).toBe(true);
    await recorder.close();
  });

  it('rejects a bad payload or a missing organisation key with a typed error and no gap', async () => {
    const { store, keys } = await setup();
    const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    const bad = await recorder.record('activity-slot', { ...slot(1), activeSeconds: 99 } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-payload' } });
    const thrown = await recorder.record('activity-slot', () => {
      throw new Error('collector bug');
    });
    expect(thrown).toMatchObject({ ok: false, error: { code: 'bad-payload' } });
    const noOrg = await Recorder.open({
      store,
      device: { ...keys.device, deviceId: 'dev-2' },
      recipients: new StaticRecipientDirectory({ employee: keys.roles.employee.publicKey }),
    });
    expect(
      await noOrg.record('device-info', {
        v: 1,
        hostname: 'h',
        platform: 'linux',
        osVersion: '6',
        agentVersion: '0.1.0',
        screens: 1,
        timeZone: 'UTC',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'no-recipients' },
    });
    const hookFailed = await recorder.record('activity-slot', slot(2), {
      beforeWrite: async () => {
        throw new Error('intent store down');
      },
    });
    expect(hookFailed).toMatchObject({ ok: false, error: { code: 'hook-failed' } });
    const good = await recorder.record('activity-slot', slot(3));
    expect(good.ok && good.value.seq).toBe(0);
    expect((await storedEnvelopes(store, 'dev-2')).seqs).toEqual([]);
    await recorder.close();
    await noOrg.close();
  });

  it('stores a screenshot image apart, bound to its metadata record by hash', async () => {
    const { store, keys } = await setup();
    const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    const image = new Uint8Array(50_000).map((_, i) => (i * 31) & 0xff);
    const shot = await recorder.recordScreenshot(
      { screen: 0, width: 800, height: 600, format: 'webp', blurred: false },
      image,
    );
    expect(shot.ok).toBe(true);
    if (!shot.ok) return;
    const blob = await store.blobs.findOne(shot.value.blobId).exec();
    expect(blob).not.toBeNull();
    const blobBytes = fromBase64(blob!.envelope);
    if (!blobBytes.ok) throw new Error('blob encoding');
    const verified = verifyEnvelope(blobBytes.value, keys.device.signPublicKey);
    expect(verified.ok && toHex(verified.value.hash)).toBe(shot.value.blobHash);
    // the employee can open both, and the record names the image it belongs to
    const opener = new EnvelopeOpener([keys.roles.employee]);
    const meta = opener.open(
      (await storedEnvelopes(store, keys.device.deviceId)).envelopes[0]!,
      keys.device.signPublicKey,
    );
    if (!meta.ok) throw new Error(meta.error.message);
    const payload = decodePayload('screenshot', meta.value.payload);
    expect(payload.ok && payload.value).toMatchObject({
      blobId: shot.value.blobId,
      blobHash: shot.value.blobHash,
      blobBytes: blob!.bytes,
      width: 800,
    });
    const img = opener.open(blobBytes.value, keys.device.signPublicKey);
    expect(img.ok && Buffer.from(img.value.payload).equals(Buffer.from(image))).toBe(true);
    // HR is not a screenshot recipient
    expect(new EnvelopeOpener([keys.roles.hr]).open(blobBytes.value, keys.device.signPublicKey)).toMatchObject({
      ok: false,
      error: { code: 'not-a-recipient' },
    });
    await recorder.close();
  });

  it('refuses a store whose chain was signed by another device key', async () => {
    const { store, keys } = await setup();
    const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    await recorder.record('activity-slot', slot(1));
    await recorder.close();
    const other = await makeKeys(keys.device.deviceId);
    await expect(Recorder.open({ store, device: other.device, recipients: directoryOf(other) })).rejects.toBeInstanceOf(
      ForeignChainError,
    );
  });

  it('records an altered head as an integrity alert and keeps recording', async () => {
    const { store, keys } = await setup();
    const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    for (let i = 0; i < 3; i++) await recorder.record('activity-slot', slot(1, i));
    await recorder.close();
    const head = await store.records.findOne(`${keys.device.deviceId}:000000000002`).exec();
    const bytes = fromBase64(head!.envelope);
    if (!bytes.ok) throw new Error('b64');
    const tampered = Uint8Array.from(bytes.value);
    tampered[tampered.length - 100]! ^= 1; // inside the ciphertext
    await head!.incrementalPatch({ envelope: Buffer.from(tampered).toString('base64url') });
    const reopened = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    expect(reopened.head.nextSeq).toBe(4); // the alert took seq 3
    const alerts = await alertsIn(store, keys);
    expect(alerts).toMatchObject([{ issue: 'altered', fromSeq: 2 }]);
    await reopened.close();
  });

  it('does not follow a clock set back, and records the jump once', async () => {
    const { store, keys } = await setup();
    let wall = 1_764_000_000_000;
    let mono = 0;
    const time: TimeSources = { wallMs: () => wall, monoMs: () => mono };
    const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys), time });
    const a = await recorder.record('activity-slot', slot(1));
    mono += 60_000;
    wall += 60_000 - 3_600_000; // an hour back
    const b = await recorder.record('activity-slot', slot(2));
    mono += 1000;
    wall += 1000;
    const c = await recorder.record('activity-slot', slot(3));
    if (!a.ok || !b.ok || !c.ok) throw new Error('record failed');
    expect(b.value.createdAt - a.value.createdAt).toBe(60_000);
    expect(c.value.createdAt - b.value.createdAt).toBe(1000);
    expect(b.value.seq).toBe(2); // seq 1 is the alert
    const alerts = await alertsIn(store, keys);
    expect(alerts.map((x) => x.issue)).toEqual(['clock-jump']);
    expect(alerts[0]!.detail).toMatch(/went back.*not followed/);
    await recorder.close();
  });

  it('degrades screenshots when the disk budget is passed, alerts once per step, keeps every record', async () => {
    const { dir, store, keys } = await setup();
    let budget = 10 * 1024 * 1024 * 1024;
    const recorder = await Recorder.open({
      store,
      device: keys.device,
      recipients: directoryOf(keys),
      diskBudgetBytes: () => budget,
      diskCheckIntervalMs: 0,
    });
    const image = new Uint8Array(20_000).fill(7);
    expect(
      (await recorder.recordScreenshot({ screen: 0, width: 10, height: 10, format: 'jpeg', blurred: false }, image)).ok,
    ).toBe(true);
    expect(recorder.screenshotMode()).toEqual({ mode: 'normal', quality: 1 });

    budget = Math.floor((await directoryBytes(dir)) / 1.03);
    expect((await recorder.record('activity-slot', slot(1))).ok).toBe(true);
    expect(recorder.screenshotMode()).toEqual({ mode: 'reduced', quality: 0.5 });
    expect(
      (await recorder.recordScreenshot({ screen: 0, width: 10, height: 10, format: 'jpeg', blurred: false }, image)).ok,
    ).toBe(true);

    budget = Math.floor((await directoryBytes(dir)) / 1.5);
    expect((await recorder.record('activity-slot', slot(2))).ok).toBe(true);
    expect(recorder.screenshotMode().mode).toBe('paused');
    expect(
      await recorder.recordScreenshot({ screen: 0, width: 10, height: 10, format: 'jpeg', blurred: false }, image),
    ).toMatchObject({ ok: false, error: { code: 'screenshots-paused' } });
    for (let i = 0; i < 20; i++) expect((await recorder.record('activity-slot', slot(3, i))).ok).toBe(true);

    const alerts = await alertsIn(store, keys);
    expect(alerts.map((a) => a.issue)).toEqual(['dropped-capture', 'dropped-capture']);
    expect(alerts[0]!.detail).toMatch(/quality lowered/);
    expect(alerts[1]!.detail).toMatch(/screenshots paused/);
    await recorder.close();

    // a restart in the same episode does not repeat the alerts
    const again = await Recorder.open({
      store,
      device: keys.device,
      recipients: directoryOf(keys),
      diskBudgetBytes: () => budget,
      diskCheckIntervalMs: 0,
    });
    expect(again.screenshotMode().mode).toBe('paused');
    await again.record('activity-slot', slot(4));
    expect((await alertsIn(store, keys)).length).toBe(2);
    const { envelopes } = await storedEnvelopes(store, keys.device.deviceId);
    expect(
      verifyChain(envelopes, { deviceId: keys.device.deviceId, deviceSignPublicKey: keys.device.signPublicKey }).ok,
    ).toBe(true);
    await again.close();
  });
});

await initSodium();
