// The capture sinks on a real recorder and LevelDB store: an idle period from
// a real IdleCollector on fake time is recorded with the tray's answer, or
// with the policy default when there is no hook, the hook fails, or the agent
// stops while it waits; a screenshot is announced once it is stored.
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  EnvelopeOpener,
  decodePayload,
  type CapturePolicy,
  type IdlePeriodPayload,
} from '@sealtime/shared';
import { IdleCollector } from './collectors/idle/idle-collector.js';
import { captureSinks, type SinkHooks } from './compose-sinks.js';
import { Recorder } from './recorder/recorder.js';
import {
  directoryOf,
  makeKeys,
  openAgentStore,
  storedEnvelopes,
  tempDir,
  type Keys,
} from './recorder/recorder.fixture.js';
import type { AgentStore } from './store/agent-store.js';
import { silentLogger } from './store/logger.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const policy = (discardIdle: boolean): CapturePolicy => ({
  ...DEFAULT_POLICY,
  idle: { enabled: true, thresholdSeconds: 60, discardIdle },
});

let n = 0;
async function setup(): Promise<{ store: AgentStore; keys: Keys; recorder: Recorder }> {
  const t = tempDir('st-sinks-');
  cleanups.push(t.cleanup);
  // one test may hold several stores open at once: RxDB wants distinct names
  const store = await openAgentStore(t.dir, { name: `sinks${++n}` });
  cleanups.push(() => store.close());
  const keys = await makeKeys();
  const recorder = await Recorder.open({ store, device: keys.device, recipients: directoryOf(keys) });
  cleanups.push(() => recorder.close());
  return { store, keys, recorder };
}

async function idlePeriods(store: AgentStore, keys: Keys): Promise<IdlePeriodPayload[]> {
  const { envelopes } = await storedEnvelopes(store, keys.device.deviceId);
  const opener = new EnvelopeOpener([keys.roles.organisation]);
  const out: IdlePeriodPayload[] = [];
  for (const e of envelopes) {
    const o = opener.open(e, keys.device.signPublicKey);
    if (!o.ok || o.value.envelope.kind !== 'idle-period') continue;
    const p = decodePayload('idle-period', o.value.payload);
    if (p.ok) out.push(p.value);
  }
  return out;
}

const until = async (cond: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

/** One away period through a real IdleCollector on fake time: idle for 5 minutes, then input. */
async function awayOnce(
  hooks: SinkHooks,
  discardIdle: boolean,
  opts: { stopping?: Promise<void>; beforeReturn?: () => void } = {},
) {
  const { store, keys, recorder } = await setup();
  let now = Date.UTC(2026, 2, 2, 9, 0);
  const opened: number[] = [];
  const sinks = captureSinks({
    recorder,
    deviceId: keys.device.deviceId,
    policy: () => policy(discardIdle),
    log: silentLogger,
    hooks,
    stopping: opts.stopping ?? new Promise<void>(() => undefined),
  });
  const idle = new IdleCollector({
    policy: { enabled: true, thresholdSeconds: 60 },
    onPeriod: sinks.idlePeriod,
    onIdleStart: (s) => opened.push(s),
    clock: () => now,
    checkIntervalMs: 5,
  });
  idle.start();
  now += 5 * 60_000;
  await until(() => opened.length === 1);
  now += 1000;
  opts.beforeReturn?.();
  idle.input({ at: now });
  await idle.stop();
  const periods = await idlePeriods(store, keys);
  // open-source RxDB allows 13 collections per process: close this store before the next one
  for (const c of cleanups.splice(0).reverse()) await c();
  return { periods, opened };
}

describe('capture sinks', () => {
  it("records an idle period with the tray's answer, not the policy default", async () => {
    const asked: IdlePeriodPayload[] = [];
    const { periods, opened } = await awayOnce({ decideIdle: async (p) => (asked.push(p), 'kept') }, true);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.decision).toBe('pending');
    expect(opened).toEqual([asked[0]!.start]);
    expect(periods).toHaveLength(1);
    expect(periods[0]).toMatchObject({ start: asked[0]!.start, end: asked[0]!.end, decision: 'kept' });

    const other = await awayOnce({ decideIdle: async () => 'discarded' }, false);
    expect(other.periods.map((p) => p.decision)).toEqual(['discarded']);
  });

  it('tells the attendance side when the idle period has closed and is recorded', async () => {
    let ended = 0;
    const { periods } = await awayOnce({ onIdleEnd: async () => void ended++ }, false);
    expect(periods).toHaveLength(1);
    expect(ended).toBe(1);
  });

  it('falls back to the policy default headless, when the hook rejects, and when the agent stops while it waits', async () => {
    expect((await awayOnce({}, true)).periods.map((p) => p.decision)).toEqual(['discarded']);
    expect((await awayOnce({}, false)).periods.map((p) => p.decision)).toEqual(['kept']);
    expect(
      (await awayOnce({ decideIdle: () => Promise.reject(new Error('prompt window crashed')) }, true)).periods.map(
        (p) => p.decision,
      ),
    ).toEqual(['discarded']);

    let stop: () => void = () => undefined;
    const stopping = new Promise<void>((r) => (stop = r));
    // a prompt nobody answers: stopping settles it with the default, so stop() is not held and the period is kept
    const waiting = await awayOnce({ decideIdle: () => new Promise(() => undefined) }, false, {
      stopping,
      beforeReturn: () => setTimeout(stop, 20),
    });
    expect(waiting.periods.map((p) => p.decision)).toEqual(['kept']);
  });

  it('announces a screenshot once its image and record are stored, and a failing listener loses nothing', async () => {
    const { store, keys, recorder } = await setup();
    const seen: Array<{ takenAt: number; blobId: string }> = [];
    const stored: boolean[] = [];
    const hooks: SinkHooks = {
      onScreenshot: (s) => {
        seen.push(s);
        void store.blobs
          .findOne(s.blobId)
          .exec()
          .then((d) => stored.push(d !== null));
        throw new Error('notification failed');
      },
    };
    const sinks = captureSinks({
      recorder,
      deviceId: keys.device.deviceId,
      policy: () => policy(false),
      log: silentLogger,
      hooks,
      stopping: new Promise<void>(() => undefined),
    });
    const takenAt = Date.now();
    await sinks.screenshot({
      meta: { takenAt, screen: 0, width: 10, height: 10, format: 'webp', blurred: false },
      image: new Uint8Array(2000).fill(3),
    });
    await until(() => stored.length === 1);
    expect(seen).toEqual([{ takenAt, blobId: expect.stringContaining(keys.device.deviceId) }]);
    expect(stored).toEqual([true]);
    expect(await store.blobs.count().exec()).toBe(1);
  });
});

describe('the tracked project', () => {
  it('rides inside the sealed slot and app event while tracked, and is absent otherwise', async () => {
    const { store, keys, recorder } = await setup();
    let project: { projectId: string; taskId?: string } | undefined = { projectId: 'apollo', taskId: 'design' };
    const sinks = captureSinks({
      recorder,
      deviceId: keys.device.deviceId,
      policy: () => DEFAULT_POLICY,
      log: silentLogger,
      hooks: {},
      stopping: new Promise(() => undefined),
      project: () => project,
    });
    const slot = {
      v: 1 as const,
      start: 600_000,
      slotSeconds: 600,
      activeSeconds: 5,
      keyPresses: 1,
      clicks: 0,
      mouseMoves: 0,
      scrolls: 0,
    };
    await sinks.activitySlot(slot);
    await sinks.appEvent({ v: 1, start: 600_000, durationMs: 1000, app: 'code' });
    project = undefined;
    await sinks.activitySlot({ ...slot, start: 1_200_000 });
    const { envelopes } = await storedEnvelopes(store, keys.device.deviceId);
    const opener = new EnvelopeOpener([keys.roles.organisation]);
    const seen: Array<[string, unknown]> = [];
    for (const e of envelopes) {
      const o = opener.open(e, keys.device.signPublicKey);
      if (!o.ok) continue;
      const kind = o.value.envelope.kind;
      if (kind !== 'activity-slot' && kind !== 'app-event') continue;
      const p = decodePayload(kind, o.value.payload);
      if (p.ok) seen.push([kind, (p.value as { project?: unknown }).project ?? null]);
    }
    expect(seen).toEqual([
      ['activity-slot', { projectId: 'apollo', taskId: 'design' }],
      ['app-event', { projectId: 'apollo', taskId: 'design' }],
      ['activity-slot', null],
    ]);
  });
});
