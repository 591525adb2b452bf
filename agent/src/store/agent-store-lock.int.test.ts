// A store held by another process (the running agent) gives a clear typed
// error instead of a crash (e.g. a second `sealtime-agent run`), and a
// holder that lets go soon is waited out when asked.
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../recorder/recorder.fixture.js';
import { StoreError, openAgentStore } from './agent-store.js';
import { holdStoreLock } from './test-support/hold-lock.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function holdLock(dir: string) {
  const holder = await holdStoreLock(dir);
  cleanups.push(() => holder.kill());
  return holder;
}

describe('openAgentStore across processes', () => {
  it('reports a store held by another process as locked', async () => {
    const t = tempDir('st-store-lock-');
    cleanups.push(t.cleanup);
    await holdLock(t.dir);
    const err = await openAgentStore(t.dir).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('locked');
  });

  it('waits for a holder that lets go within lockWaitMs, and gives up after it', async () => {
    const t = tempDir('st-store-lock-');
    cleanups.push(t.cleanup);
    const holder = await holdLock(t.dir);
    const t0 = Date.now();
    const refused = await openAgentStore(t.dir, { lockWaitMs: 1000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((refused as StoreError).code).toBe('locked');
    // it retried until the deadline: not at once, and not when the next doubled delay would pass it
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);

    const opening = openAgentStore(t.dir, { lockWaitMs: 30_000 });
    setTimeout(() => void holder.release(), 500);
    const store = await opening;
    cleanups.push(() => store.close());
    await store.putState('probe', { ok: true });
    expect(await store.getState('probe')).toEqual({ ok: true });
  });
});
