// The inbox applied live over a real store: documents written into the local
// inbox collection (as replication does) replace the recipient keys, change a
// running CaptureSession's policy without a restart, and a forged document is
// refused and becomes an integrity-alert record — once, across a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import {
  DEFAULT_POLICY,
  createPolicyDocument,
  inboxDoc,
  initSodium,
  newSeed,
  personKeysFromSeed,
  type CapturePolicy,
  type InboxDoc,
} from '@sealtime/shared';
import { createTestOrg } from '../../../test-support/test-org.js';
import { CaptureSession } from '../collectors/capture-session.js';
import { makeKeys, tempDir } from '../recorder/recorder.fixture.js';
import { StaticRecipientDirectory } from '../recorder/recipients.js';
import { Recorder } from '../recorder/recorder.js';
import { openAgentStore, type AgentStore } from '../store/agent-store.js';
import { InboxWatcher } from './inbox-watcher.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const until = async (what: string, check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const put = (store: AgentStore, d: InboxDoc) => store.inbox.upsert(d);

// everything that needs a display or an input hook off: the session runs only what the policy switches on
function quiet(): CapturePolicy {
  const p = structuredClone(DEFAULT_POLICY) as CapturePolicy;
  p.activity.enabled = false;
  p.idle.enabled = false;
  p.appTracking.enabled = false;
  return p;
}

describe('InboxWatcher', () => {
  it('applies keys and policy live to a running capture session, and refuses a forged document once', async () => {
    await initSodium();
    const t = tempDir('st-inbox-');
    cleanups.push(t.cleanup);
    const org = await createTestOrg();
    const keys = await makeKeys('dev-0123456789abcdef0123', 'emp-1');
    const dir = join(t.dir, 'db');
    let store = await openAgentStore(dir);
    cleanups.push(() => store.close());
    const directory = new StaticRecipientDirectory({});
    const trust = { deviceId: keys.device.deviceId, employeeId: 'emp-1', orgKeyFingerprint: org.orgKeyFingerprint };
    let recorder: Recorder | undefined;
    const session = new CaptureSession({
      policy: quiet(),
      env: {},
      sinks: { activitySlot() {}, appEvent() {}, idlePeriod() {}, screenshot() {}, deviceInfo() {}, integrity() {} },
    });
    cleanups.push(() => session.stop());
    await session.start();
    const alertsWritten: string[] = [];

    const start = () =>
      InboxWatcher.start({
        store,
        trust,
        directory,
        onRecipients: async () => {
          recorder ??= await Recorder.open({ store, device: keys.device, recipients: directory });
        },
        // the layers the test sends keep the hook-driven collectors off
        onPolicy: (p) =>
          session.updatePolicy({
            ...p.policy,
            activity: { ...p.policy.activity, enabled: false },
            idle: { ...p.policy.idle, enabled: false },
            appTracking: { ...p.policy.appTracking, enabled: false },
          }),
        onRejected: async (r) => {
          if (!recorder) return false;
          const res = await recorder.record('integrity-alert', (at) => ({
            v: 1,
            at,
            deviceId: keys.device.deviceId,
            issue: 'forged',
            detail: `inbox ${r.id}: ${r.reason}`,
          }));
          if (res.ok) alertsWritten.push(r.id);
          return res.ok;
        },
      });
    let watcher = await start();
    expect(watcher.keysReady).toBe(false);
    expect(watcher.waitingReason).toMatch(/recipients/);
    expect(directory.publicKeysFor('organisation')).toEqual([]);

    // a forged policy before any keys: refused, its alert waits for the org key
    const intruder = personKeysFromSeed(newSeed());
    const forged = createPolicyDocument(
      { level: 'employee', id: 'emp-1', settings: { screenshots: { enabled: true, perHour: 60 } } },
      Date.now(),
      intruder,
    );
    if (!forged.ok) throw new Error(forged.error.message);
    await put(store, inboxDoc('policy:employee:emp-1', 'policy', 'emp-1', Date.now(), forged.value));

    await put(store, org.recipients('emp-1', 'team-a'));
    await until('keys', () => watcher.keysReady);
    expect(directory.publicKeysFor('organisation')).toEqual([org.org.boxPublicKey]);
    expect(directory.publicKeysFor('team')).toEqual([org.team('team-a').boxPublicKey]);
    await until('the forged document refused and alerted', () => alertsWritten.length === 1);
    expect(watcher.rejected).toMatchObject([{ id: 'policy:employee:emp-1', code: 'untrusted-signer' }]);
    expect(session.state.screenshots).toBe(false);

    // the admin switches screenshots on for the team: the running session follows
    await put(
      store,
      org.policy('emp-1', { level: 'team', id: 'team-a', settings: { screenshots: { enabled: true, perHour: 12 } } }),
    );
    await until('screenshots on', () => session.state.screenshots);
    expect(watcher.effective.source['screenshots.enabled']).toEqual({ level: 'team', id: 'team-a' });
    expect(watcher.effective.policy.screenshots.perHour).toBe(12);
    // ...and the organisation locks them off: privacy-safe moves always win
    await put(
      store,
      org.policy('emp-1', {
        level: 'organisation',
        id: 'acme',
        settings: { screenshots: { enabled: false } },
        locked: ['screenshots'],
      }),
    );
    await until('screenshots off', () => !session.state.screenshots);
    expect(watcher.effective.source['screenshots.enabled']).toEqual({ level: 'organisation', id: 'acme' });

    // restart: trust state survives; the same forged document is not alerted again
    await watcher.stop();
    await recorder!.close();
    recorder = undefined;
    await store.close();
    store = await openAgentStore(dir);
    watcher = await start();
    cleanups.push(() => watcher.stop());
    expect(watcher.keysReady).toBe(true);
    expect(watcher.rejected).toHaveLength(1);
    await watcher.settled();
    expect(alertsWritten).toHaveLength(1);
    // stored records show only their routing class; the one organisation-only record here is the alert
    const classes = (await store.records.find().exec()).map((d) => d.class);
    expect(classes.filter((c) => c === 'org')).toHaveLength(1);

    // the server replaces the recipients document with a broken one: the trusted keys stay
    const broken = org.recipients('emp-1', 'team-a', Date.now() + 10);
    (broken.doc as { keys: { organisation: Array<{ box: string }> } }).keys.organisation[0]!.box = (
      broken.doc as { keys: { employee: Array<{ box: string }> } }
    ).keys.employee[0]!.box;
    await put(store, broken);
    await until('the broken recipients refused', () => watcher.rejected.some((r) => r.id === 'recipients'));
    expect(watcher.keysReady).toBe(true);
    expect(directory.publicKeysFor('organisation')).toEqual([org.org.boxPublicKey]);
    await until('its alert', () => alertsWritten.length === 2);
    await watcher.stop();
    await (recorder as Recorder | undefined)?.close(); // reopened by onRecipients after the restart
  }, 30_000);

  it('keeps a deleted policy layer in force across a restart, alerts once, and lets a signed withdrawal remove it', async () => {
    await initSodium();
    const t = tempDir('st-inbox-del-');
    cleanups.push(t.cleanup);
    const org = await createTestOrg();
    const keys = await makeKeys('dev-0123456789abcdef0124', 'emp-1');
    const dir = join(t.dir, 'db');
    let store = await openAgentStore(dir);
    cleanups.push(() => store.close());
    const directory = new StaticRecipientDirectory({});
    const trust = { deviceId: keys.device.deviceId, employeeId: 'emp-1', orgKeyFingerprint: org.orgKeyFingerprint };
    const alerts: string[] = [];
    const start = () =>
      InboxWatcher.start({
        store,
        trust,
        directory,
        onRejected: async (r) => (alerts.push(`${r.id}:${r.code}`), true),
      });
    let watcher = await start();
    const off = {
      level: 'organisation' as const,
      id: 'acme',
      settings: { screenshots: { enabled: false }, activity: { enabled: false } },
      locked: ['screenshots', 'activity'],
    };
    await put(store, org.recipients('emp-1', 'team-a', 1000));
    await put(store, org.policy('emp-1', off, 2000));
    await until('the layer applied', () => watcher.effective.layers.length === 1);
    expect(watcher.effective.policy.activity.enabled).toBe(false);

    // what a replicated `_deleted: true` does to the local copy
    await (await store.inbox.findOne('policy:organisation:acme').exec())!.remove();
    await until('the deletion alerted', () => alerts.includes('policy:organisation:acme:unsigned-removal'));
    expect(watcher.effective.policy.activity.enabled).toBe(false);
    expect(watcher.effective.source['activity.enabled']).toEqual({ level: 'organisation', id: 'acme' });

    // restart: the kept layer is still in force, the alert is not repeated
    await watcher.stop();
    await store.close();
    store = await openAgentStore(dir);
    watcher = await start();
    cleanups.push(() => watcher.stop());
    await watcher.settled();
    expect(watcher.effective.policy.activity.enabled).toBe(false);
    expect(watcher.effective.policy.screenshots.enabled).toBe(false);
    expect(alerts.filter((a) => a.startsWith('policy:'))).toEqual(['policy:organisation:acme:unsigned-removal']);

    // the organisation withdraws the layer with a signed tombstone: defaults again, no alert
    await put(store, org.withdrawal('emp-1', 'policy:organisation:acme', 3000));
    await until('the layer withdrawn', () => watcher.effective.layers.length === 0);
    expect(watcher.effective.policy.activity.enabled).toBe(true);
    expect(alerts.filter((a) => a.startsWith('policy:'))).toHaveLength(1);
  }, 30_000);
});
