// Backlog numbers over a real store: count, oldest, bytes, checkpoint by seq
// or by out-of-order acknowledgements, persisted across a reopen.
import { afterEach, describe, expect, it } from 'vitest';
import { hourOf } from '@sealtime/shared';
import { Recorder, type RecordedRef } from '../recorder/recorder.js';
import { directoryOf, makeKeys, tempDir } from '../recorder/recorder.fixture.js';
import { openAgentStore, type AgentStore } from './agent-store.js';
import { Backlog } from './backlog.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('Backlog', () => {
  it('counts what the server has not confirmed and survives a reopen', async () => {
    const t = tempDir('st-backlog-');
    cleanups.push(t.cleanup);
    let store: AgentStore = await openAgentStore(t.dir);
    const keys = await makeKeys();
    const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    const refs: RecordedRef[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await recorder.record('app-event', (start) => ({ v: 1, start, durationMs: i * 1000, app: `app-${i}` }));
      if (!r.ok) throw new Error(r.error.message);
      refs.push(r.value);
    }
    const shot = await recorder.recordScreenshot(
      { screen: 0, width: 4, height: 4, format: 'png', blurred: false },
      new Uint8Array(3000).fill(1),
    );
    if (!shot.ok) throw new Error(shot.error.message);
    refs.push(shot.value);
    const sum = (rs: RecordedRef[]) => rs.reduce((n, r) => n + r.bytes, 0);
    const blob = (await store.blobs.findOne(shot.value.blobId).exec())!;

    const b = recorder.backlog;
    expect(b.status()).toMatchObject({
      count: 41,
      oldestCreatedAt: refs[0]!.createdAt,
      records: { count: 41, bytes: sum(refs) },
      blobs: { count: 1, bytes: blob.bytes },
      bytes: sum(refs) + blob.bytes,
      syncedThroughSeq: -1,
      lastError: null,
    });

    await b.markSynced(9);
    expect(b.status()).toMatchObject({
      count: 31,
      oldestCreatedAt: refs[10]!.createdAt,
      records: { bytes: sum(refs.slice(10)) },
      syncedThroughSeq: 9,
    });
    // acknowledgements out of order: the checkpoint moves over contiguous ones only
    await b.noteRecordAcked(12);
    await b.noteRecordAcked(11);
    expect(b.status().syncedThroughSeq).toBe(9);
    await b.noteRecordAcked(10);
    expect(b.status()).toMatchObject({ syncedThroughSeq: 12, count: 28 });
    await b.markSynced(5); // going back is ignored
    expect(b.status().syncedThroughSeq).toBe(12);
    await b.noteBlobAcked(shot.value.blobId);
    await b.noteSyncError(
      new Error('connect ECONNREFUSED https://admin:hunter2@sync.example.test/st-emp-1-records'),
      1234,
    );
    expect(b.status()).toMatchObject({ blobs: { count: 0, bytes: 0 }, lastError: { at: 1234 } });
    expect(b.status().lastError!.message).not.toContain('hunter2');
    await recorder.close();
    await store.close();

    store = await openAgentStore(t.dir);
    cleanups.push(() => store.close());
    const reopened = await Backlog.open(store, keys.device.deviceId);
    // stored documents show the hour only (the exact time is sealed): after a reopen "oldest" is its hour
    expect(reopened.status()).toMatchObject({
      count: 28,
      syncedThroughSeq: 12,
      oldestCreatedAt: hourOf(refs[13]!.createdAt),
      records: { bytes: sum(refs.slice(13)) },
      blobs: { count: 0 },
    });
    expect(reopened.status().lastError?.message).toMatch(/ECONNREFUSED/);
    await reopened.markSynced(40);
    expect(reopened.status()).toMatchObject({ count: 0, oldestCreatedAt: null, bytes: 0 });
    await reopened.noteSyncSuccess(99);
    expect(reopened.status().lastSyncAt).toBe(99);
  });
});

describe('Backlog last-sync time', () => {
  it('is current in status at once but written to disk at most once a minute while the link is steady', async () => {
    const t = tempDir('st-backlog-sync-');
    cleanups.push(t.cleanup);
    const store = await openAgentStore(t.dir);
    cleanups.push(() => store.close());
    const b = await Backlog.open(store, 'd1');
    const onDisk = async () =>
      ((await store.getState<{ lastSyncAt: number | null }>('sync')) ?? { lastSyncAt: null }).lastSyncAt;
    const t0 = 1_800_000_000_000;
    await b.noteSyncSuccess(t0);
    expect(await onDisk()).toBe(t0);
    await b.noteSyncSuccess(t0 + 2_000);
    await b.noteSyncSuccess(t0 + 30_000);
    expect(b.status().lastSyncAt).toBe(t0 + 30_000);
    expect(await onDisk()).toBe(t0); // no fsynced write for a steady link
    await b.noteSyncSuccess(t0 + 61_000);
    expect(await onDisk()).toBe(t0 + 61_000);
  });
});
