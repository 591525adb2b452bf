// Chain head recovery on a real LevelDB store when the newest record is a
// screenshot, stored in its own id range (<deviceId>:m<seq>): the head must
// still be found by seq, or the next record would reuse its seq (a fork).
import { afterEach, describe, expect, it } from 'vitest';
import { toHex, verifyChain } from '@sealtime/shared';
import { openAgentStore } from '../store/agent-store.js';
import { Recorder } from './recorder.js';
import { directoryOf, makeKeys, storedEnvelopes, tempDir } from './recorder.fixture.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('recoverRecordHead', () => {
  it('continues after a screenshot record (media id range) as the newest', async () => {
    const t = tempDir('st-chain-recovery-');
    cleanups.push(t.cleanup);
    const keys = await makeKeys();
    const store = await openAgentStore(t.dir);
    const first = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
    const now = first.now();
    expect((await first.record('app-event', { v: 1, start: now, durationMs: 1000, app: 'xterm' })).ok).toBe(true);
    const shot = await first.record('screenshot', {
      v: 1,
      takenAt: now,
      screen: 0,
      width: 10,
      height: 10,
      format: 'webp',
      blurred: false,
      blobId: `${keys.device.deviceId}:000000000000`,
      blobBytes: 10,
      blobHash: 'ab'.repeat(32),
    });
    expect(shot.ok && shot.value.seq).toBe(1);
    const ids = (await store.records.find().exec()).map((d) => d.id).sort();
    expect(ids).toEqual([`${keys.device.deviceId}:000000000000`, `${keys.device.deviceId}:m000000000001`]);
    const headBefore = toHex(first.head.prevHash);
    await first.close();
    await store.close();

    const again = await openAgentStore(t.dir);
    cleanups.push(() => again.close());
    const second = await Recorder.open({ store: again, device: keys.device, recipients: directoryOf(keys) });
    expect(second.head.nextSeq).toBe(2);
    expect(toHex(second.head.prevHash)).toBe(headBefore);
    const r = await second.record('app-event', { v: 1, start: second.now(), durationMs: 1000, app: 'xterm' });
    expect(r.ok && r.value.seq).toBe(2);
    const { envelopes } = await storedEnvelopes(again, keys.device.deviceId);
    expect(
      verifyChain(envelopes, { deviceId: keys.device.deviceId, deviceSignPublicKey: keys.device.signPublicKey }),
    ).toMatchObject({ ok: true, verified: 3, issues: [] });
    await second.close();
  });
});
