// What the device trusts from its inbox: only documents that verify against
// the organisation key pinned at enrollment, meant for this employee/device,
// and not older than what was already accepted.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createDecisionDocument,
  createPolicyDocument,
  decisionDocId,
  createRecipientsDocument,
  inboxDoc,
  policyDocId,
  type InboxDoc,
  type PersonKeys,
} from '@sealtime/shared';
import type { TestOrg } from '../../../test-support/test-org.js';
import { foldInbox, type InboxTrust } from './fold-inbox.js';
import { foldSetup } from './test-support/fold-setup.js';

let org: TestOrg;
let intruder: PersonKeys;
let trust: InboxTrust;

beforeAll(async () => {
  ({ org, intruder, trust } = await foldSetup());
});

const layer = (level: 'organisation' | 'team' | 'employee' | 'device', id: string, settings: object) => ({
  level,
  id,
  settings,
});

describe('foldInbox', () => {
  it('waits, with a reason, until a recipients document is there', () => {
    const f = foldInbox([org.policy('emp-1', layer('organisation', 'acme', { retention: { days: 30 } }))], trust, {});
    expect(f.recipients).toBeNull();
    expect(f.waitingReason).toMatch(/no recipients document/);
    expect(f.policy.policy.retention.days).toBe(90); // policies wait for the org key
  });

  it('folds the layers aimed at this device and names the source of each value', () => {
    const docs = [
      org.recipients('emp-1', 'team-a', 1000),
      org.policy('emp-1', layer('organisation', 'acme', { retention: { days: 30 }, screenshots: { perHour: 6 } })),
      org.policy('emp-1', layer('team', 'team-a', { screenshots: { enabled: true } })),
      org.policy('emp-1', layer('team', 'team-b', { screenshots: { perHour: 60 } })), // another team: not ours
      org.policy('emp-1', layer('device', 'dev-aaaa', { activity: { slotSeconds: 120 } })),
    ];
    const f = foldInbox(docs, trust, {});
    expect(f.recipients?.teamId).toBe('team-a');
    expect(f.rejected).toEqual([]);
    expect(f.policy.policy.screenshots).toMatchObject({ enabled: true, perHour: 6 });
    expect(f.policy.source['screenshots.enabled']).toEqual({ level: 'team', id: 'team-a' });
    expect(f.policy.source['retention.days']).toEqual({ level: 'organisation', id: 'acme' });
    expect(f.policy.source['activity.slotSeconds']).toEqual({ level: 'device', id: 'dev-aaaa' });
    expect(f.policy.source['idle.enabled']).toEqual({ level: 'default' });
  });

  it('refuses a recipients document signed by another key (server swap) and one for another employee', () => {
    const forged = createRecipientsDocument(
      {
        employeeId: 'emp-1',
        teamId: null,
        issuedAt: 5,
        keys: { organisation: [{ boxPublicKey: intruder.boxPublicKey, signPublicKey: intruder.signPublicKey }] },
      },
      intruder,
    );
    if (!forged.ok) throw new Error(forged.error.message);
    const a = foldInbox([inboxDoc('recipients', 'recipients', 'emp-1', 5, forged.value)], trust, {});
    expect(a.recipients).toBeNull();
    expect(a.rejected).toMatchObject([{ id: 'recipients', code: 'untrusted-signer' }]);
    expect(a.waitingReason).toMatch(/did not verify/);

    const other = foldInbox([org.recipients('emp-2', null)], trust, {});
    expect(other.recipients).toBeNull();
    expect(other.rejected[0]?.reason).toMatch(/not emp-1/);
  });

  it('refuses a swapped key inside a genuine document, and keeps the keys already trusted', () => {
    const good = foldInbox([org.recipients('emp-1', 'team-a', 1000)], trust, {});
    const swapped = org.recipients('emp-1', 'team-a', 2000);
    const keys = (swapped.doc as { keys: Record<string, Array<{ box: string }>> }).keys;
    keys.team![0]!.box = keys.employee![0]!.box;
    const f = foldInbox([swapped], trust, good.highWater, { recipients: good.recipients });
    expect(f.rejected).toMatchObject([{ code: 'bad-signature' }]);
    expect(f.recipients).toBe(good.recipients);
  });

  it('refuses forged, foreign and replayed policy layers and keeps them out of the policy', () => {
    const forged = createPolicyDocument(
      layer('employee', 'emp-1', { screenshots: { enabled: true, perHour: 60 } }),
      10,
      intruder,
    );
    if (!forged.ok) throw new Error(forged.error.message);
    const docs: InboxDoc[] = [
      org.recipients('emp-1', 'team-a', 1000),
      inboxDoc('policy:employee:emp-1', 'policy', 'emp-1', 10, forged.value),
      org.policy('emp-1', layer('employee', 'emp-2', { retention: { days: 1 } })),
      org.policy('emp-1', layer('device', 'dev-other', { retention: { days: 2 } })),
    ];
    const f = foldInbox(docs, trust, {});
    expect(f.rejected.map((r) => [r.id, r.code])).toEqual([
      ['policy:employee:emp-1', 'untrusted-signer'],
      ['policy:employee:emp-2', 'wrong-target'],
      ['policy:device:dev-other', 'wrong-target'],
    ]);
    expect(f.policy.policy.screenshots.enabled).toBe(false);
    expect(f.policy.policy.retention.days).toBe(90);

    // a layer changed after signing
    const changed = org.policy('emp-1', layer('organisation', 'acme', { retention: { days: 30 } }));
    (changed.doc as { layer: { settings: { retention: { days: number } } } }).layer.settings.retention.days = 3000;
    expect(foldInbox([docs[0]!, changed], trust, {}).rejected).toMatchObject([{ code: 'bad-signature' }]);

    // an older, genuinely signed layer replayed after a newer one was applied
    const newer = foldInbox(
      [docs[0]!, org.policy('emp-1', layer('organisation', 'acme', { retention: { days: 30 } }), 2000)],
      trust,
      {},
    );
    const replay = foldInbox(
      [docs[0]!, org.policy('emp-1', layer('organisation', 'acme', { retention: { days: 365 } }), 1500)],
      trust,
      newer.highWater,
      { policy: newer.policy },
    );
    expect(replay.rejected).toMatchObject([{ id: policyDocId({ level: 'organisation', id: 'acme' }), code: 'stale' }]);
    expect(replay.policy.policy.retention.days).toBe(90); // the replayed layer is not applied
  });

  it('accepts correction decisions signed by HR for this employee only', () => {
    const d = { v: 1 as const, requestId: 'cr-1', decision: 'approved' as const, decidedBy: 'hr-x', decidedAt: 7 };
    const mine = org.decision('emp-1', d);
    const theirs = org.decision('emp-2', { ...d, requestId: 'cr-2' });
    const f = foldInbox(
      [org.recipients('emp-1', null), mine, { ...theirs, id: 'correction-decision:cr-2' }],
      trust,
      {},
    );
    expect(f.decisions).toEqual([d]);
    expect(f.rejected).toMatchObject([{ id: 'correction-decision:cr-2' }]);
  });

  it.each([null, 7, 'x', [], { format: 'sealtime-policy', v: 1 }])(
    'refuses junk %j in a policy document without throwing',
    (junk) => {
      const f = foldInbox(
        [
          org.recipients('emp-1', null),
          { id: 'policy:x', type: 'policy', target: 'emp-1', issuedAt: 1, doc: junk as never },
        ],
        trust,
        {},
      );
      expect(f.rejected).toHaveLength(1);
    },
  );

  describe('a signed document stops applying only by a newer signed one', () => {
    const screenshotsOn = () =>
      org.policy('emp-1', layer('team', 'team-a', { screenshots: { enabled: true, perHour: 6 } }), 2000);
    const decision = {
      v: 1 as const,
      requestId: 'cr-1',
      decision: 'rejected' as const,
      decidedBy: 'hr-x',
      decidedAt: 3000,
    };
    const applied = () => {
      const docs = [
        org.recipients('emp-1', 'team-a', 1000),
        screenshotsOn(),
        org.decision('emp-1', decision),
        { id: 'keyring:employee:emp-1', type: 'keyring' as const, target: 'emp-1', issuedAt: 1, doc: {} },
      ];
      const f = foldInbox(docs, trust, {});
      expect(f.rejected).toEqual([]);
      expect(f.policy.policy.screenshots.enabled).toBe(true);
      return {
        docs,
        f,
        prev: (x: typeof f) => ({ recipients: x.recipients, policy: x.policy, kept: x.kept, keyrings: x.keyrings }),
      };
    };

    it('keeps a deleted policy layer, decision, recipients document, and reports each deletion (key rings too)', () => {
      const { f, prev } = applied();
      const gone = foldInbox([], trust, f.highWater, prev(f));
      expect(gone.policy.policy.screenshots).toMatchObject({ enabled: true, perHour: 6 });
      expect(gone.policy.source['screenshots.enabled']).toEqual({ level: 'team', id: 'team-a' });
      expect(gone.decisions).toEqual([decision]);
      expect(gone.recipients).toBe(f.recipients);
      expect(gone.rejected.map((r) => [r.id, r.code]).sort()).toEqual([
        ['correction-decision:cr-1', 'unsigned-removal'],
        ['keyring:employee:emp-1', 'unsigned-removal'],
        ['policy:team:team-a', 'unsigned-removal'],
        ['recipients', 'unsigned-removal'],
      ]);
      // the next pass (say after a restart, from what was persisted) still holds them
      const { policy: _notPersisted, ...persisted } = prev(gone);
      const again = foldInbox([], trust, gone.highWater, { ...persisted, recipients: f.recipients });
      expect(again.policy.policy.screenshots.enabled).toBe(true);
      expect(again.rejected.map((r) => r.version).sort()).toEqual(gone.rejected.map((r) => r.version).sort());
    });

    it('keeps a layer replaced by a forged copy or by another layer moved under its id', () => {
      const { docs, f, prev } = applied();
      const rest = [docs[2]!, docs[3]!];
      const forged = createPolicyDocument(layer('team', 'team-a', { screenshots: { enabled: false } }), 9000, intruder);
      if (!forged.ok) throw new Error(forged.error.message);
      const swapped = foldInbox(
        [docs[0]!, inboxDoc('policy:team:team-a', 'policy', 'emp-1', 9000, forged.value), ...rest],
        trust,
        f.highWater,
        prev(f),
      );
      expect(swapped.policy.policy.screenshots.enabled).toBe(true);
      expect(swapped.rejected).toMatchObject([{ id: 'policy:team:team-a', code: 'untrusted-signer' }]);
      // a genuine withdrawal of another layer, moved under this id: refused, the layer stays
      const moved = { ...org.withdrawal('emp-1', 'policy:team:team-b', 9000), id: 'policy:team:team-a' };
      const m = foldInbox([docs[0]!, moved, ...rest], trust, f.highWater, prev(f));
      expect(m.policy.policy.screenshots.enabled).toBe(true);
      expect(m.rejected).toMatchObject([{ id: 'policy:team:team-a', code: 'wrong-id' }]);
    });

    it('a signed withdrawal removes the layer for good; deleting the withdrawal brings nothing back', () => {
      const { docs, f, prev } = applied();
      const rest = [docs[2]!, docs[3]!];
      const w = foldInbox(
        [docs[0]!, org.withdrawal('emp-1', 'policy:team:team-a', 5000), ...rest],
        trust,
        f.highWater,
        prev(f),
      );
      expect(w.rejected).toEqual([]);
      expect(w.policy.policy.screenshots.enabled).toBe(false);
      expect(w.policy.source['screenshots.enabled']).toEqual({ level: 'default' });
      expect(w.highWater['policy:team:team-a']).toBe(5000);
      const gone = foldInbox([docs[0]!, ...rest], trust, w.highWater, prev(w));
      expect(gone.policy.policy.screenshots.enabled).toBe(false);
      expect(gone.rejected).toEqual([]);
      // the withdrawn layer replayed: older than the withdrawal
      const replay = foldInbox([docs[0]!, screenshotsOn(), ...rest], trust, gone.highWater, prev(gone));
      expect(replay.policy.policy.screenshots.enabled).toBe(false);
      expect(replay.rejected).toMatchObject([{ id: 'policy:team:team-a', code: 'stale' }]);
      // a newer signed layer applies again
      const back = foldInbox(
        [docs[0]!, org.policy('emp-1', layer('team', 'team-a', { screenshots: { enabled: true } }), 6000), ...rest],
        trust,
        gone.highWater,
        prev(gone),
      );
      expect(back.policy.policy.screenshots.enabled).toBe(true);
    });

    it('refuses a withdrawal signed by another key, or older than the layer, and keeps the layer', () => {
      const { docs, f, prev } = applied();
      const rest = [docs[2]!, docs[3]!];
      const forged = inboxDoc('policy:team:team-a', 'policy', 'emp-1', 9000, {
        ...org.withdrawal('emp-1', 'policy:team:team-a', 9000).doc,
        withdraws: 'policy:team:team-a',
        issuedAt: 9001,
      });
      const a = foldInbox([docs[0]!, forged, ...rest], trust, f.highWater, prev(f));
      expect(a.policy.policy.screenshots.enabled).toBe(true);
      expect(a.rejected).toMatchObject([{ code: 'bad-signature' }]);
      const old = foldInbox(
        [docs[0]!, org.withdrawal('emp-1', 'policy:team:team-a', 1500), ...rest],
        trust,
        f.highWater,
        prev(f),
      );
      expect(old.policy.policy.screenshots.enabled).toBe(true);
      expect(old.rejected).toMatchObject([{ code: 'stale' }]);
    });

    it('a decision withdrawn by HR is gone', () => {
      const { docs, f, prev } = applied();
      const rest = [docs[2]!, docs[3]!];
      const w = foldInbox(
        [docs[0]!, docs[1]!, org.withdrawal('emp-1', 'correction-decision:cr-1', 4000), docs[3]!],
        trust,
        f.highWater,
        prev(f),
      );
      expect(w.decisions).toEqual([]);
      expect(w.rejected).toEqual([]);
    });
  });
});

describe('manual time decisions', () => {
  const d = { v: 1 as const, requestId: 'mt-1', decision: 'approved' as const, decidedBy: 'mgr', decidedAt: 9 };
  const signed = (by: PersonKeys, subject: 'manual-time' | 'correction' = 'manual-time', employeeId = 'emp-1') => {
    const doc = createDecisionDocument(employeeId, d, by, subject);
    if (!doc.ok) throw new Error(doc.error.message);
    return inboxDoc(decisionDocId('mt-1', 'manual-time'), 'correction-decision', employeeId, 9, doc.value);
  };
  const approvalLayer = (approval: string) =>
    org.policy('emp-1', layer('organisation', 'acme', { manualTime: { approval } }));

  it.each([
    ['the team manager, policy "manager"', 'manager', () => org.team('team-a'), 'ok'],
    ['HR, policy "manager"', 'manager', () => org.hr, 'untrusted-signer'],
    ['HR, policy "hr"', 'hr', () => org.hr, 'ok'],
    ['the team manager, policy "hr"', 'hr', () => org.team('team-a'), 'untrusted-signer'],
    ["another team's manager", 'manager', () => org.team('team-b'), 'untrusted-signer'],
    ['the organisation, policy "hr"', 'hr', () => org.org, 'ok'],
    ['an intruder', 'manager', () => intruder, 'untrusted-signer'],
  ])('signed by %s', (_n, approval, who, want) => {
    const f = foldInbox([org.recipients('emp-1', 'team-a', 1000), approvalLayer(approval), signed(who())], trust, {});
    if (want === 'ok') {
      expect(f.rejected).toEqual([]);
      expect(f.manualDecisions).toEqual([d]);
    } else {
      expect(f.manualDecisions).toEqual([]);
      expect(f.rejected).toMatchObject([{ id: 'correction-decision:manual-time:mt-1', code: want }]);
    }
    expect(f.decisions).toEqual([]); // never taken for a correction decision
  });

  it('a correction decision cannot stand in for a manual one, nor the other way round', () => {
    const asCorrection = signed(org.hr, 'correction');
    const manualAsCorrection = { ...signed(org.hr), id: decisionDocId('mt-1') };
    const f = foldInbox(
      [org.recipients('emp-1', 'team-a', 1000), approvalLayer('hr'), asCorrection, manualAsCorrection],
      trust,
      {},
    );
    expect(f.manualDecisions).toEqual([]);
    expect(f.decisions).toEqual([]);
    expect(f.rejected.map((r) => r.code).sort()).toEqual(['malformed-document', 'malformed-document']);
  });
});
