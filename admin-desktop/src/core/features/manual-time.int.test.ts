// Manual time decisions through the admin core against a real server
// (createReviewOrg, ada states a 17:00–18:00 entry the team's manager must
// approve): HR's core refuses to decide it; the manager's core sees it
// pending, refuses a rejection without a reason, approves it; the decision
// in ada's inbox is signed by the team key (verified against her signed
// recipients document); deciding again is refused; the report counts the
// hour as manual-approved and nothing as pending.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fingerprint, RECIPIENTS_DOC_ID, verifyDecisionDocument, verifyRecipientsDocument } from '@sealtime/shared';
import type { SubscriptionName, SubscriptionParams, SubscriptionValue } from '../../api/admin-api.js';
import type { AdminCore } from '../admin-core.js';
import { nextValue } from '../test-support/next-value.js';
import { errorOf, FAST_RETRY, signInAndUnlock, testCores } from '../test-support/test-cores.js';
import {
  createReviewOrg,
  HR_USER,
  MANAGER_USER,
  PASSPHRASE,
  TEAM_PASSPHRASE,
  type ReviewOrg,
} from '../test-support/review-org.js';

const H = 3_600_000;
const RANGE = { from: '2026-11-30', to: '2026-12-01' };
let org: ReviewOrg;
const cores = testCores('st-manual-core-', { outbox: FAST_RETRY });

async function core(user: { id: string; password: string }, passphrase: string): Promise<AdminCore> {
  return signInAndUnlock(await cores.newCore(), org.srv.url, user, passphrase);
}

function next<N extends SubscriptionName>(
  c: AdminCore,
  name: N,
  params: SubscriptionParams<N>,
  accept?: (v: SubscriptionValue<N>) => boolean,
  timeoutMs = 60_000,
): Promise<SubscriptionValue<N>> {
  return nextValue(c, name, params, accept, timeoutMs);
}

beforeAll(async () => {
  org = await createReviewOrg({
    people: ['ada', 'bob'],
    dates: ['2026-11-30'],
    timeZone: 'UTC',
    manualApproval: 'manager',
  });
}, 240_000);
afterAll(async () => {
  await org?.close();
  await cores.cleanup();
}, 120_000);

describe('manual time through the admin core', () => {
  it('HR may not decide an entry the manager approves', async () => {
    const hr = await core(HR_USER, PASSPHRASE);
    try {
      const q = await next(hr, 'manualTime', RANGE, (v) => v.rows.length > 0);
      expect(q.rows[0]).toMatchObject({ entryId: 'mt-ada-1', status: 'pending', canDecide: false });
      const err = await errorOf(
        hr.request('decideManualTime', { employeeId: 'ada', entryId: 'mt-ada-1', decision: 'approved' }),
      );
      expect(err).toMatchObject({ code: 'forbidden' });
    } finally {
      await hr.close();
    }
  }, 180_000);

  it("the team's manager approves it: signed by the team key, once, counted as manual-approved", async () => {
    const mgr = await core(MANAGER_USER, TEAM_PASSPHRASE);
    try {
      const q = await next(mgr, 'manualTime', RANGE, (v) => v.rows.length > 0);
      expect(q.rows).toHaveLength(1);
      expect(q.rows[0]).toMatchObject({ entryId: 'mt-ada-1', employeeId: 'ada', status: 'pending', canDecide: true });
      expect(q.rows[0]!.trackedOverlapSeconds).toBe(0);

      const noReason = await errorOf(
        mgr.request('decideManualTime', { employeeId: 'ada', entryId: 'mt-ada-1', decision: 'rejected' }),
      );
      expect(noReason).toMatchObject({ code: 'invalid-input' });
      expect(noReason?.message).toMatch(/reason/);

      const sent = await mgr.request('decideManualTime', {
        employeeId: 'ada',
        entryId: 'mt-ada-1',
        decision: 'approved',
        comment: 'seen the visit report',
      });
      expect(sent.status).toBe('sent');

      const inbox = await org.ctx.client.getDoc<{ doc: unknown }>(
        'st-emp-ada-inbox',
        'correction-decision:manual-time:mt-ada-1',
      );
      const recipients = await org.ctx.client.getDoc<{ doc: unknown }>('st-emp-ada-inbox', RECIPIENTS_DOC_ID);
      const orgKey = (await org.ctx.custody.orgRing()).signPublicKey;
      const rec = verifyRecipientsDocument(recipients!.doc, {
        orgKeyFingerprint: fingerprint(orgKey),
        employeeId: 'ada',
      });
      if (!rec.ok) throw new Error(rec.error.message);
      const teamKeys = rec.value.keys.team.map((k) => k.signPublicKey);
      const hrKeys = rec.value.keys.hr.map((k) => k.signPublicKey);
      expect(verifyDecisionDocument(inbox!.doc, 'ada', teamKeys, 'manual-time')).toMatchObject({
        ok: true,
        value: {
          requestId: 'mt-ada-1',
          decision: 'approved',
          decidedBy: MANAGER_USER.id,
          comment: 'seen the visit report',
        },
      });
      expect(verifyDecisionDocument(inbox!.doc, 'ada', hrKeys, 'manual-time').ok).toBe(false);

      const again = await errorOf(
        mgr.request('decideManualTime', {
          employeeId: 'ada',
          entryId: 'mt-ada-1',
          decision: 'rejected',
          comment: 'no',
        }),
      );
      expect(again?.message).toMatch(/already approved/);

      const report = await next(mgr, 'report', { ...RANGE, groupBy: 'person' }, (v) => v.manual !== undefined);
      expect(report.manual?.totals).toEqual({ approved: H, pending: 0, rejected: 0 });
      expect(report.manual?.byRow.ada).toEqual({ approved: H, pending: 0, rejected: 0 });
      const day = await next(
        mgr,
        'personDay',
        { employeeId: 'ada', date: '2026-11-30' },
        (v) => v.manual !== undefined,
      );
      expect(day.manual?.map((e) => [e.entryId, e.status])).toEqual([['mt-ada-1', 'approved']]);
    } finally {
      await mgr.close();
    }
  }, 240_000);
});
