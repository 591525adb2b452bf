// The employee's export over a real store: every record decrypted with the
// employee's key and equal to what was recorded, the chain report included,
// screenshots checked against their images, and a foreign key reading nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { initSodium, type ActivitySlotPayload, type AppEventPayload } from '@sealtime/shared';
import { recordedView } from '../renderer/privacy-view.js';
import { Recorder } from '../recorder/recorder.js';
import { directoryOf, makeKeys, tempDir } from '../recorder/recorder.fixture.js';
import { openAgentStore } from '../store/agent-store.js';
import { exportOwnData, writeOwnDataExport } from './export-own-data.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('exportOwnData', () => {
  it('shows both record models: app-events sealed before and the app usage inside activity slots (v2), as sealed', async () => {
    const t = tempDir('st-export-v2-');
    cleanups.push(t.cleanup);
    const store = await openAgentStore(join(t.dir, 'db'));
    cleanups.push(() => store.close());
    const keys = await makeKeys();
    const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    const t0 = 1_764_000_000_000;
    const old: AppEventPayload = { v: 1, start: t0, durationMs: 120_000, app: 'code' };
    const v1: ActivitySlotPayload = {
      v: 1,
      start: t0,
      slotSeconds: 600,
      activeSeconds: 100,
      keyPresses: 5,
      clicks: 1,
      mouseMoves: 9,
      scrolls: 0,
    };
    const v2: ActivitySlotPayload = {
      ...v1,
      v: 2,
      start: t0 + 600_000,
      apps: [
        { app: 'firefox', title: 'Docs', seconds: 420 },
        { app: 'code', seconds: 60 },
      ],
    };
    for (const [kind, p] of [
      ['app-event', old],
      ['activity-slot', v1],
      ['activity-slot', v2],
    ] as const) {
      const r = await recorder.record(kind, p as never);
      if (!r.ok) throw new Error(r.error.message);
    }
    await recorder.close();
    const data = await exportOwnData({ store, device: keys.device, keyPairs: [keys.roles.employee], now: 5 });
    expect(data.records.map((r) => r.payload)).toEqual([old, v1, v2]);
    // the privacy centre lists the slot's app usage as it shows any payload
    const items = recordedView(data).records;
    expect(items.map((r) => r.kind)).toEqual(['app-event', 'activity-slot', 'activity-slot']);
    expect(items[2]!.payload).toMatchObject({
      v: 2,
      apps: [
        { app: 'firefox', title: 'Docs', seconds: 420 },
        { app: 'code', seconds: 60 },
      ],
    });
  });

  it('decrypts every record with the employee key and matches what was recorded', async () => {
    const t = tempDir('st-export-');
    cleanups.push(t.cleanup);
    const store = await openAgentStore(join(t.dir, 'db'));
    cleanups.push(() => store.close());
    const keys = await makeKeys();
    const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    const expected: Array<{ kind: string; payload: unknown }> = [];
    const rec = async (kind: 'activity-slot' | 'app-event' | 'attendance', payload: never) => {
      const r = await recorder.record(kind, payload);
      if (!r.ok) throw new Error(r.error.message);
      expected.push({ kind, payload });
    };
    for (let i = 0; i < 30; i++) {
      await rec('activity-slot', {
        v: 1,
        start: 1_764_000_000_000 + i * 60_000,
        slotSeconds: 60,
        activeSeconds: i,
        keyPresses: i * 3,
        clicks: i,
        mouseMoves: 7,
        scrolls: 0,
      } as never);
      await rec('app-event', {
        v: 1,
        start: 1_764_000_000_000 + i * 60_000,
        durationMs: 60_000,
        app: `app-${i % 3}`,
        title: `Document ${i}`,
      } as never);
    }
    await rec('attendance', {
      v: 1,
      at: 1_764_000_000_000,
      type: 'clock-in',
      source: 'manual',
      note: 'morning',
    } as never);
    const image = new Uint8Array(2048).map((_, i) => (i * 7) & 0xff);
    const shot = await recorder.recordScreenshot(
      { screen: 1, width: 32, height: 32, format: 'png', blurred: true, takenAt: 1_764_000_100_000 },
      image,
    );
    if (!shot.ok) throw new Error(shot.error.message);
    await recorder.close();

    const data = await exportOwnData({
      store,
      device: keys.device,
      keyPairs: [keys.roles.employee],
      includeImages: true,
      now: 5,
    });
    expect(data.chain).toMatchObject({ ok: true, verified: 62, issues: [] });
    expect(data.summary).toEqual({
      records: 62,
      readable: 62,
      byKind: { 'activity-slot': 30, 'app-event': 30, attendance: 1, screenshot: 1 },
      images: 1,
      imagesVerified: 1,
    });
    expect(data.records.map((r) => r.seq)).toEqual(Array.from({ length: 62 }, (_, i) => i));
    expect(data.records.slice(0, 61).map((r) => ({ kind: r.kind, payload: r.payload }))).toEqual(expected);
    const last = data.records[61]!;
    expect(last.payload).toMatchObject({
      blobId: shot.value.blobId,
      blobHash: shot.value.blobHash,
      blurred: true,
      takenAt: 1_764_000_100_000,
    });
    expect(last.image).toMatchObject({ verified: true });
    expect(Buffer.from(last.image!.data!, 'base64').equals(Buffer.from(image))).toBe(true);

    // another person's key opens nothing; the chain still verifies (it needs no key)
    const s = await initSodium();
    const stranger = s.crypto_box_keypair();
    const foreign = await exportOwnData({
      store,
      device: keys.device,
      keyPairs: [{ publicKey: stranger.publicKey, secretKey: stranger.privateKey }],
    });
    expect(foreign.summary.readable).toBe(0);
    expect(foreign.records.every((r) => r.error?.code === 'not-a-recipient' && r.payload === undefined)).toBe(true);
    expect(foreign.chain.ok).toBe(true);

    // a swapped image is caught
    const blob = (await store.blobs.findOne(shot.value.blobId).exec())!;
    await blob.incrementalPatch({
      envelope: (await store.records.findOne(`${keys.device.deviceId}:000000000000`).exec())!.envelope,
    });
    const swapped = await exportOwnData({ store, device: keys.device, keyPairs: [keys.roles.employee] });
    expect(swapped.records[61]!.image).toMatchObject({ verified: false, problem: /not the one its record names/ });

    const file = join(t.dir, 'export.json');
    await writeOwnDataExport(file, data);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).summary.records).toBe(62);
  });

  it('decrypts only the newest n images when asked for { newest: n }', async () => {
    const t = tempDir('st-export-n-');
    cleanups.push(t.cleanup);
    const store = await openAgentStore(join(t.dir, 'db'));
    cleanups.push(() => store.close());
    const keys = await makeKeys();
    const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    for (let i = 0; i < 3; i++) {
      const shot = await recorder.recordScreenshot(
        { screen: 0, width: 8, height: 8, format: 'png', blurred: false, takenAt: 1_764_000_000_000 + i },
        new Uint8Array(64).fill(i + 1),
      );
      if (!shot.ok) throw new Error(shot.error.message);
    }
    await recorder.close();
    const data = await exportOwnData({
      store,
      device: keys.device,
      keyPairs: [keys.roles.employee],
      includeImages: { newest: 2 },
    });
    expect(data.records.map((r) => r.image?.verified)).toEqual([true, true, true]);
    expect(data.records.map((r) => (r.image?.data ? Buffer.from(r.image.data, 'base64')[0] : null))).toEqual([
      null,
      2,
      3,
    ]);
    expect(data.summary).toMatchObject({ images: 3, imagesVerified: 3 });
  });
});
