// The agent store itself: the record model plus local state on LevelDB,
// intact after reopening.
import { afterEach, describe, expect, it } from 'vitest';
import { recordDocId } from '@sealtime/shared';
import { tempDir } from '../recorder/recorder.fixture.js';
import { openAgentStore } from './agent-store.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('openAgentStore', () => {
  it('keeps local state and records across a reopen', async () => {
    const t = tempDir('st-store-');
    cleanups.push(t.cleanup);
    const store = await openAgentStore(t.dir);
    expect(Object.keys(store.db.collections).sort()).toEqual(['blobs', 'inbox', 'records', 'state']);
    expect(await store.getState('clock')).toBeUndefined();
    await store.putState('clock', { wallMs: 5, bootId: 'b' });
    await store.putState('clock', { wallMs: 6, bootId: 'b' });
    await store.records.insert({
      id: recordDocId('dev-1', 0),
      deviceId: 'dev-1',
      employeeId: 'emp-1',
      class: 'org',
      seq: 0,
      hour: 0,
      envelope: 'AAAA',
      bytes: 3,
    });
    await store.close();
    const again = await openAgentStore(t.dir);
    cleanups.push(() => again.close());
    expect(await again.getState('clock')).toEqual({ wallMs: 6, bootId: 'b' });
    expect((await again.records.findOne(recordDocId('dev-1', 0)).exec())?.envelope).toBe('AAAA');
  });
});
