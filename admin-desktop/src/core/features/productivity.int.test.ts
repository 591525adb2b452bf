// Productivity rules through the admin core against a real server
// (createReviewOrg: each person has 1 h of Editor and 1 h of Browser a day):
// an admin publishes signed organisation and team sets; the core classifies
// the decrypted app spans when a view is built, so a changed rule
// re-classifies the same records; the sets reach the employees' inboxes
// signed; a tampered set is refused and never used; a dangerous pattern is
// refused before anything is signed; a rule is tried on the last 7 days.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { verifyRuleSetDocument, type RuleSetVersion } from '@sealtime/shared';
import { DIRECTORY_DB } from '../../admin/directory-docs.js';
import { issueEnrollmentCode } from '../../admin/enrollment.js';
import { addEmployee } from '../../admin/people-setup.js';
import type { SubscriptionName, SubscriptionParams, SubscriptionValue } from '../../api/admin-api.js';
import type { AdminCore } from '../admin-core.js';
import { nextValue as next } from '../test-support/next-value.js';
import { errorOf, FAST_RETRY, signInAndUnlock, testCores } from '../test-support/test-cores.js';
import {
  createReviewOrg,
  MANAGER_USER,
  PASSPHRASE,
  ROOT_PASSWORD,
  TEAM_PASSPHRASE,
  type ReviewOrg,
} from '../test-support/review-org.js';

const H = 3_600_000;
let org: ReviewOrg;
let admin: AdminCore;
let manager: AdminCore | null = null;
let orgKey: Uint8Array;
let skew = 0; // moves the core's clock past the rule book's few seconds of reuse
const cores = testCores('st-productivity-');
const TODAY = new Date().toISOString().slice(0, 10);
const YESTERDAY = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

const version = (rules: RuleSetVersion['rules']): RuleSetVersion => ({ effectiveFrom: 0, rules });

beforeAll(async () => {
  org = await createReviewOrg({ people: ['ada', 'bob'], dates: [YESTERDAY, TODAY], timeZone: 'UTC' });
  orgKey = (await org.ctx.custody.orgRing()).signPublicKey;
  admin = await signInAndUnlock(
    await cores.newCore({ now: () => Date.now() + skew, outbox: FAST_RETRY }),
    org.srv.url,
    { id: 'root', password: ROOT_PASSWORD },
    PASSPHRASE,
  );
  // the replica holds both people's days before anything is classified
  await next(
    admin,
    'report',
    { from: YESTERDAY, to: TODAY },
    (r) => r.rows.length === 2 && r.totals.workedMs > 0,
    120_000,
  );
}, 240_000);

afterAll(async () => {
  await manager?.close();
  await admin?.close();
  await org?.close();
  await cores.cleanup();
});

describe('productivity rules', () => {
  it('before any rule, app time is unclassified', async () => {
    // once the replica holds ada's app events (they may arrive after her first records)
    const d = await next(
      admin,
      'dayProductivity',
      { employeeId: 'ada', date: TODAY },
      (v) => v.totals.unclassified >= 2 * H,
      60_000,
    );
    expect(d.totals).toEqual({ productive: 0, neutral: 0, unproductive: 0, unclassified: 2 * H });
  });

  it('an organisation set classifies; a team set overrides it; the same records are re-classified', async () => {
    expect(
      await admin.request('publishRuleSet', {
        scope: { level: 'organisation', id: 'acme' },
        version: version([
          { id: 'editor', match: { by: 'app', app: 'editor' }, class: 'productive' },
          { id: 'browser', match: { by: 'app-pattern', pattern: '^brows' }, class: 'unproductive' },
        ]),
      }),
    ).toMatchObject({ status: 'sent', docId: 'productivity:organisation:acme', publishedTo: ['ada', 'bob'] });
    const first = await next(
      admin,
      'dayProductivity',
      { employeeId: 'ada', date: TODAY },
      (d) => d.totals.productive > 0,
    );
    expect(first.totals).toEqual({ productive: H, neutral: 0, unproductive: H, unclassified: 0 });
    expect(first.productivePercent).toBe(50);
    expect(first.apps.map((a) => [a.app, a.class, a.rule?.ruleId])).toEqual([
      ['Browser', 'unproductive', 'browser'],
      ['Editor', 'productive', 'editor'],
    ]);

    await admin.request('publishRuleSet', {
      scope: { level: 'team', id: 'blue' },
      version: version([{ id: 'research', match: { by: 'app', app: 'Browser' }, class: 'neutral' }]),
    });
    const after = await next(admin, 'dayProductivity', { employeeId: 'ada', date: TODAY }, (d) => d.totals.neutral > 0);
    expect(after.totals).toEqual({ productive: H, neutral: H, unproductive: 0, unclassified: 0 });
    expect(after.apps.find((a) => a.app === 'Browser')?.rule).toEqual({
      level: 'team',
      setId: 'blue',
      ruleId: 'research',
    });

    const report = await next(admin, 'productivityReport', { from: YESTERDAY, to: TODAY }, (r) => r.totals.neutral > 0);
    expect(report.rows.map((r) => [r.employeeId, r.productivePercent, r.days.map((d) => d.totals.productive)])).toEqual(
      [
        ['ada', 50, [H, H]],
        ['bob', 50, [H, H]],
      ],
    );
    expect(report.totals).toEqual({ productive: 4 * H, neutral: 4 * H, unproductive: 0, unclassified: 0 });
  });

  it('the sets reach the inboxes of the people they concern, signed by the organisation key', async () => {
    const rows = await org.ctx.client.allDocs<Record<string, unknown>>('st-emp-ada-inbox');
    const sets = rows.filter((r) => r.type === 'productivity-rules');
    expect(sets.map((r) => r._id).sort()).toEqual(['productivity:organisation:acme', 'productivity:team:blue']);
    for (const r of sets) expect(verifyRuleSetDocument(r._id, r.doc, [orgKey]).ok).toBe(true);

    // someone enrolled later gets the sets in force with their enrollment code
    await addEmployee(org.ctx, {
      employeeId: 'cy',
      teamId: 'blue',
      orgPassphrase: PASSPHRASE,
      employeePassphrase: 'cy own passphrase',
    });
    await issueEnrollmentCode(org.ctx, { employeeId: 'cy', orgPassphrase: PASSPHRASE, ttlMs: 3_600_000 });
    const later = (await org.ctx.client.allDocs<Record<string, unknown>>('st-emp-cy-inbox')).filter(
      (r) => r.type === 'productivity-rules',
    );
    expect(later.map((r) => r._id).sort()).toEqual(['productivity:organisation:acme', 'productivity:team:blue']);
  });

  it('a set tampered with on the server is refused, listed and not used', async () => {
    const wire = (await org.ctx.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, 'productivity:team:blue'))!;
    const versions = wire.versions as RuleSetVersion[];
    versions[0]!.rules[0]!.class = 'productive';
    await org.ctx.client.bulkDocs(DIRECTORY_DB, [wire]);
    skew += 60_000;
    const book = await next(admin, 'productivityRules', {}, (b) => b.refused.length > 0);
    expect(book.refused).toEqual([
      { id: 'productivity:team:blue', reason: expect.stringMatching(/changed after signing/) },
    ]);
    expect(book.sets.map((s) => `${s.level}:${s.id}`)).toEqual(['organisation:acme']);
    const d = await next(admin, 'dayProductivity', { employeeId: 'ada', date: TODAY });
    expect(d.totals).toEqual({ productive: H, neutral: 0, unproductive: H, unclassified: 0 });
  });

  it('a dangerous or malformed rule is refused before anything is signed, naming the field', async () => {
    const bad = await errorOf(
      admin.request('publishRuleSet', {
        scope: { level: 'organisation', id: 'acme' },
        version: version([{ id: 'x', match: { by: 'title', pattern: '(a+)+$' }, class: 'neutral' }]),
      }),
    );
    expect(bad).toMatchObject({ code: 'invalid-input' });
    expect(bad?.message).toMatch(/rules\.0\.match\.pattern: .*exponential/);
    expect(
      await errorOf(admin.request('publishRuleSet', { scope: { level: 'team', id: 'nope' }, version: version([]) })),
    ).toMatchObject({ code: 'not-found' });
  });

  it('a rule is tried against the apps of the last 7 days', async () => {
    const t = await admin.request('testRule', {
      rule: { id: 'try', match: { by: 'title', pattern: 'notes\\.md' }, class: 'productive' },
    });
    expect(t.problems).toEqual([]);
    expect(t.appsSeen).toBe(2);
    expect(t.matches).toEqual([{ app: 'Editor', host: null, title: 'notes.md', ms: 4 * H }]);
    const bad = await admin.request('testRule', {
      rule: { id: 'try', match: { by: 'host', host: 'HTTP://x' }, class: 'productive' },
    });
    expect(bad.problems.map((p) => p.path)).toEqual(['match.host']);
  });

  it('a manager reads the organisation set and their team set (neither editable) and classifies as admins do', async () => {
    // the team set tampered with above is replaced by a fresh one
    await admin.request('publishRuleSet', {
      scope: { level: 'team', id: 'blue' },
      version: version([{ id: 'research', match: { by: 'app', app: 'Browser' }, class: 'neutral' }]),
    });
    await admin.close(); // one core per process at a time (the replica's RxDB name)
    manager = await signInAndUnlock(await cores.newCore(), org.srv.url, MANAGER_USER, TEAM_PASSPHRASE);
    const book = await next(manager, 'productivityRules', {}, (b) => b.sets.length > 0, 60_000);
    expect(book).toMatchObject({ canEdit: false, refused: [], orgId: 'acme' });
    // the organisation's set too (found by listing that id family, verified against the pinned signer), read-only
    expect(book.sets.map((s) => `${s.level}:${s.id}`)).toEqual(['organisation:acme', 'team:blue']);
    // the manager's people are those whose records their replica holds
    for (let i = 0; i < 240 && !(await manager.request('people', {})).some((p) => p.employeeId === 'ada'); i++)
      await new Promise((r) => setTimeout(r, 500));
    const d = await next(
      manager,
      'dayProductivity',
      { employeeId: 'ada', date: TODAY },
      (v) => v.totals.neutral > 0,
      120_000,
    );
    // precedence as admins and agents compute it, case by case
    expect(d.apps.map((a) => [a.app, a.class, a.rule && `${a.rule.level}:${a.rule.setId}:${a.rule.ruleId}`])).toEqual([
      ['Browser', 'neutral', 'team:blue:research'], // the team's rule overrides the organisation's 'unproductive'
      ['Editor', 'productive', 'organisation:acme:editor'], // no team rule: the organisation's applies
    ]);
    expect(d.totals).toEqual({ productive: H, neutral: H, unproductive: 0, unclassified: 0 });
    // the manager's other calls classify the same way as the admin's did (report over both days)
    const report = await next(
      manager,
      'productivityReport',
      { from: YESTERDAY, to: TODAY },
      (r) => r.totals.productive > 0,
    );
    expect(report.rows.find((r) => r.employeeId === 'ada')?.days.map((x) => x.totals)).toEqual([
      { productive: H, neutral: H, unproductive: 0, unclassified: 0 },
      { productive: H, neutral: H, unproductive: 0, unclassified: 0 },
    ]);
    expect(
      await errorOf(
        manager.request('publishRuleSet', { scope: { level: 'organisation', id: 'acme' }, version: version([]) }),
      ),
    ).toMatchObject({ code: 'forbidden' });
    expect(
      await errorOf(manager.request('publishRuleSet', { scope: { level: 'team', id: 'blue' }, version: version([]) })),
    ).toMatchObject({ code: 'forbidden' });
    await manager.close();
    manager = null;
  }, 240_000);
});
