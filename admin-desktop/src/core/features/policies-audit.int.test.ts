// The policy editor and the audit log through the admin core, against a real
// server with an organisation (createReviewOrg): effective values and sources
// per scope, a published layer in each employee's inbox signed by the
// organisation key, withdrawal, refused values, roles that must be refused
// (by the core and, underneath, by the server), the audit entries those
// actions leave, filtered and paged; and a clear error with the server gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { generateDeviceSigningKey, isWithdrawal, verifyPolicyDocument } from '@sealtime/shared';
import type { AuditRow, PolicyScopeView } from '../../api/admin-api.js';
import { ServerClient } from '../../admin/node/server-client.js';
import type { AdminCore } from '../admin-core.js';
import {
  createReviewOrg,
  HR_USER,
  MANAGER_USER,
  PASSPHRASE,
  ROOT_PASSWORD,
  TEAM_PASSPHRASE,
  type ReviewOrg,
} from '../test-support/review-org.js';
import { errorOf as codeOf, testCores } from '../test-support/test-cores.js';

const TZ = 'UTC';
let org: ReviewOrg;
let core: AdminCore;
let orgKey: Uint8Array;
const cores = testCores('st-policies-', { timeZone: TZ });
const newCore = (extra: { keyringFile?: string } = {}) => cores.newCore(extra);

const setting = (v: PolicyScopeView, path: string) => v.settings.find((s) => s.path === path)!;

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada', 'bob'], dates: ['2026-12-01'], timeZone: TZ });
  orgKey = (await org.ctx.custody.orgRing()).signPublicKey;
  core = await newCore();
  await core.signIn({ serverUrl: org.srv.url, user: 'root', password: ROOT_PASSWORD });
  await core.unlock({ passphrase: PASSPHRASE });
}, 240_000);
afterAll(async () => {
  await core?.close();
  await org?.close();
  await cores.cleanup();
});

describe('policies', () => {
  it('lists the scopes and shows effective values with the level that set each, at every level', async () => {
    const t = await core.request('policyTargets', {});
    expect(t.orgId).toBe('acme');
    expect(t.teams).toEqual(['blue']);
    expect(t.employees.map((e) => [e.employeeId, e.teamId])).toEqual([
      ['ada', 'blue'],
      ['bob', 'blue'],
    ]);
    expect(t.devices.map((d) => d.employeeId).sort()).toEqual(['ada', 'bob']);
    const adaDevice = t.devices.find((d) => d.employeeId === 'ada')!.deviceId;

    // one layer per level, published through the same step the screen uses
    await core.request('publishPolicy', {
      scope: { level: 'organisation', id: 'acme' },
      set: { 'screenshots.enabled': true, 'screenshots.perHour': 6 },
      lock: ['screenshots.perHour'],
    });
    await core.request('publishPolicy', {
      scope: { level: 'team', id: 'blue' },
      set: { 'retention.days': 30, 'screenshots.perHour': 12 },
    });
    await core.request('publishPolicy', {
      scope: { level: 'employee', id: 'ada' },
      set: { 'idle.thresholdSeconds': 600 },
    });
    await core.request('publishPolicy', {
      scope: { level: 'device', id: adaDevice },
      set: { 'screenshots.blur': false },
    });

    const orgView = await core.request('policyScope', { scope: { level: 'organisation', id: 'acme' } });
    expect(orgView.reaches).toEqual(['ada', 'bob']);
    expect(setting(orgView, 'screenshots.perHour')).toMatchObject({
      effective: 6,
      own: 6,
      lockedHere: true,
      source: { level: 'organisation', id: 'acme' },
    });
    expect(setting(orgView, 'retention.days')).toMatchObject({ effective: 90, source: { level: 'default' } });

    const teamView = await core.request('policyScope', { scope: { level: 'team', id: 'blue' } });
    expect(setting(teamView, 'retention.days')).toMatchObject({
      effective: 30,
      own: 30,
      source: { level: 'team', id: 'blue' },
    });
    expect(setting(teamView, 'screenshots.perHour')).toMatchObject({
      effective: 6,
      own: 12,
      ignored: true,
      lockedAbove: { level: 'organisation', id: 'acme' },
    });

    const adaView = await core.request('policyScope', { scope: { level: 'employee', id: 'ada' } });
    expect(adaView.chain.map((c) => c.level)).toEqual(['organisation', 'team', 'employee']);
    expect(setting(adaView, 'idle.thresholdSeconds')).toMatchObject({
      effective: 600,
      source: { level: 'employee', id: 'ada' },
    });
    expect(setting(adaView, 'retention.days')).toMatchObject({ effective: 30, source: { level: 'team', id: 'blue' } });
    expect(setting(adaView, 'screenshots.blur')).toMatchObject({ effective: true, source: { level: 'default' } });

    const deviceView = await core.request('policyScope', { scope: { level: 'device', id: adaDevice } });
    expect(deviceView.reaches).toEqual(['ada']);
    expect(setting(deviceView, 'screenshots.blur')).toMatchObject({
      effective: false,
      own: false,
      source: { level: 'device', id: adaDevice },
    });
    expect(setting(deviceView, 'idle.thresholdSeconds').source).toEqual({ level: 'employee', id: 'ada' });
    expect(setting(deviceView, 'screenshots.enabled').source).toEqual({ level: 'organisation', id: 'acme' });

    // bob has no employee layer: his view stops at the team's values
    const bobView = await core.request('policyScope', { scope: { level: 'employee', id: 'bob' } });
    expect(setting(bobView, 'idle.thresholdSeconds')).toMatchObject({ effective: 300, source: { level: 'default' } });
    await expect(core.request('policyScope', { scope: { level: 'team', id: 'red' } })).rejects.toMatchObject({
      code: 'not-found',
    });
  });

  it('previews a change, publishes it signed by the organisation key into each inbox, and withdraws it', async () => {
    const scope = { level: 'team' as const, id: 'blue' };
    const preview = await core.request('previewPolicy', {
      scope,
      set: { 'appTracking.titles': true },
      clear: ['retention.days'],
    });
    expect(preview.errors).toEqual([]);
    expect(preview.reaches).toEqual(['ada', 'bob']);
    expect(preview.changes).toEqual([
      {
        path: 'appTracking.titles',
        ownAfter: true,
        lockedBefore: false,
        lockedAfter: false,
        effectiveBefore: false,
        effectiveAfter: true,
      },
      {
        path: 'retention.days',
        ownBefore: 30,
        lockedBefore: false,
        lockedAfter: false,
        effectiveBefore: 30,
        effectiveAfter: 90,
      },
    ]);
    // a preview changes nothing
    expect(setting(await core.request('policyScope', { scope }), 'retention.days').own).toBe(30);

    const before = (await core.request('policyScope', { scope })).chain[1]!.issuedAt!;
    const sent = await core.request('publishPolicy', {
      scope,
      set: { 'appTracking.titles': true },
      clear: ['retention.days'],
    });
    expect(sent).toMatchObject({ status: 'sent', publishedTo: ['ada', 'bob'], notProvisioned: [] });
    expect(sent.issuedAt).toBeGreaterThan(before);

    for (const e of ['ada', 'bob']) {
      const wire = (await org.ctx.client.getDoc<{ type: string; doc: unknown }>(
        `st-emp-${e}-inbox`,
        'policy:team:blue',
      ))!;
      expect(wire.type).toBe('policy');
      const v = verifyPolicyDocument(wire.doc, [orgKey]);
      expect(v.ok && v.value).toMatchObject({
        issuedAt: sent.issuedAt,
        layer: { level: 'team', id: 'blue', settings: { appTracking: { titles: true }, screenshots: { perHour: 12 } } },
      });
      expect(v.ok && (v.value.layer.settings as { retention?: unknown }).retention).toBeUndefined();
      // and not under any other key
      expect(verifyPolicyDocument(wire.doc, [generateDeviceSigningKey().signPublicKey]).ok).toBe(false);
    }
    const teamView = await core.request('policyScope', { scope });
    expect(setting(teamView, 'retention.days')).toMatchObject({ effective: 90, source: { level: 'default' } });
    expect(setting(teamView, 'appTracking.titles')).toMatchObject({ effective: true, own: true });

    const gone = await core.request('withdrawPolicy', { scope });
    expect(gone.publishedTo).toEqual(['ada', 'bob']);
    expect(gone.issuedAt).toBeGreaterThan(sent.issuedAt);
    const inbox = (await org.ctx.client.getDoc<{ doc: unknown }>('st-emp-ada-inbox', 'policy:team:blue'))!;
    expect(isWithdrawal(inbox.doc)).toBe(true);
    const after = await core.request('policyScope', { scope });
    expect(after.chain[1]!.issuedAt).toBeNull();
    expect(setting(after, 'appTracking.titles')).toMatchObject({ effective: false, source: { level: 'default' } });
    expect(await codeOf(core.request('withdrawPolicy', { scope }))).toMatchObject({ code: 'not-found' });
  });

  it('refuses invalid values with a message per field, and publishes nothing', async () => {
    const scope = { level: 'employee' as const, id: 'bob' };
    const preview = await core.request('previewPolicy', {
      scope,
      set: { 'screenshots.perHour': 999, 'idle.thresholdSeconds': 30, 'retention.days': 7 },
    });
    const by = Object.fromEntries(preview.errors.map((e) => [e.path, e.message]));
    expect(Object.keys(by).sort()).toEqual(['idle.thresholdSeconds', 'screenshots.perHour']);
    expect(by['screenshots.perHour']).toMatch(/screenshots\.perHour/);
    expect(preview.changes).toEqual([]);
    const err = await codeOf(core.request('publishPolicy', { scope, set: { 'screenshots.perHour': 999 } }));
    expect(err).toMatchObject({ code: 'invalid-input' });
    expect(err!.message).toMatch(/nothing was published.*screenshots\.perHour/);
    expect(await org.ctx.client.getDoc('st-emp-bob-inbox', 'policy:employee:bob')).toBeNull();
  });

  it('refuses managers and HR: the core says so, and the server refuses them underneath', async () => {
    // one replica database per process: the admin's core steps aside meanwhile
    await core.close();
    for (const [user, passphrase, keyringFile] of [
      [MANAGER_USER, TEAM_PASSPHRASE, org.teamRingFile],
      [HR_USER, PASSPHRASE, org.hrRingFile],
    ] as const) {
      const c = await newCore({ keyringFile });
      try {
        await c.signIn({ serverUrl: org.srv.url, user: user.id, password: user.password });
        await c.unlock({ passphrase });
        expect(await codeOf(c.request('policyTargets', {}))).toMatchObject({ code: 'forbidden' });
        expect(await codeOf(c.request('policyScope', { scope: { level: 'team', id: 'blue' } }))).toMatchObject({
          code: 'forbidden',
        });
        expect(
          await codeOf(
            c.request('publishPolicy', { scope: { level: 'team', id: 'blue' }, set: { 'screenshots.enabled': false } }),
          ),
        ).toMatchObject({ code: 'forbidden' });
        expect(
          await codeOf(c.request('withdrawPolicy', { scope: { level: 'organisation', id: 'acme' } })),
        ).toMatchObject({ code: 'forbidden' });
        expect(await codeOf(c.request('auditLog', {}))).toMatchObject({ code: 'forbidden' });
      } finally {
        await c.close();
      }
    }
    core = await newCore();
    await core.signIn({ serverUrl: org.srv.url, user: 'root', password: ROOT_PASSWORD });
    await core.unlock({ passphrase: PASSPHRASE });
    // underneath: the same accounts straight at the server
    for (const u of [MANAGER_USER, HR_USER]) {
      const client = new ServerClient({ url: org.srv.url });
      const as = client.withToken((await client.login(u.id, u.password)).token);
      expect(await codeOf(as.allDocs('st-org-directory'))).toMatchObject({ code: 'forbidden' });
      expect(
        await codeOf(as.bulkDocs('st-emp-ada-inbox', [{ _id: 'policy:team:blue', type: 'policy', doc: {} }])),
      ).toMatchObject({ code: 'forbidden' });
      expect(await codeOf(as.audit({}))).toMatchObject({ code: 'forbidden' });
    }
  });
});

describe('audit log', () => {
  const all = async (q: Record<string, string | number>): Promise<AuditRow[]> => {
    const out: AuditRow[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 200; i++) {
      const page = await core.request('auditLog', { ...q, ...(cursor ? { cursor } : {}) });
      out.push(...page.entries);
      if (!page.next) return out;
      cursor = page.next;
    }
    throw new Error('paging did not end');
  };

  it('shows the actions above, filtered by actor, action, target and date, page by page', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const teamWrites = await all({ action: 'directory', target: 'policy:team:blue' });
    // the team layer: published twice (both tests above) and withdrawn once
    expect(teamWrites.map((r) => [r.actor, r.action, r.target])).toEqual(
      Array(3).fill(['user:root', 'directory.write', 'db:st-org-directory/policy:team:blue']),
    );
    expect(teamWrites.every((r, i) => i === 0 || r.at >= teamWrites[i - 1]!.at)).toBe(true);
    expect(teamWrites[1]!.diff.some((d) => d.path.startsWith('layer.settings'))).toBe(true);
    const inboxWrites = await all({ action: 'inbox.write', target: 'POLICY:TEAM:BLUE' });
    expect(inboxWrites.map((r) => r.target).sort()).toEqual([
      ...Array(3).fill('db:st-emp-ada-inbox/policy:team:blue'),
      ...Array(3).fill('db:st-emp-bob-inbox/policy:team:blue'),
    ]);
    expect((await all({ actor: 'user:helen', action: 'login' })).map((r) => r.action)).toEqual([
      'login.success',
      'login.success',
    ]);
    expect(await all({ actor: 'user:nobody' })).toEqual([]);
    expect(await all({ action: 'directory', target: 'policy:team:blue', from: today, to: today })).toHaveLength(3);
    expect(
      await all({ action: 'directory', target: 'policy:team:blue', from: '2000-01-01', to: '2000-01-02' }),
    ).toEqual([]);

    // one entry per page: the same entries, none twice
    const everything = await all({ limit: 200 });
    const oneByOne = await all({ limit: 1 });
    expect(oneByOne.map((r) => r.id)).toEqual(everything.map((r) => r.id));
    expect(new Set(everything.map((r) => r.id)).size).toBe(everything.length);
    expect(everything.length).toBeGreaterThan(20);

    expect(await codeOf(core.request('auditLog', { from: '2026-12-02', to: '2026-12-01' }))).toMatchObject({
      code: 'invalid-input',
    });
    expect(await codeOf(core.request('auditLog', { cursor: 'not-a-cursor' }))).toMatchObject({ code: 'invalid-input' });
  });

  it('says the server is unreachable when it is gone, for both screens', async () => {
    await org.srv.s.close();
    expect(await codeOf(core.request('policyScope', { scope: { level: 'organisation', id: 'acme' } }))).toMatchObject({
      code: 'server-unreachable',
    });
    expect(
      await codeOf(
        core.request('publishPolicy', {
          scope: { level: 'organisation', id: 'acme' },
          set: { 'screenshots.enabled': false },
        }),
      ),
    ).toMatchObject({ code: 'server-unreachable' });
    expect(await codeOf(core.request('auditLog', {}))).toMatchObject({ code: 'server-unreachable' });
  });
});
