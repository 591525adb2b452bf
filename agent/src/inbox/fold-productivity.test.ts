// The employee's agent shows their day classified with the rule sets the
// organisation signed: only sets that verify, for their organisation or team.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createRuleSetDocument,
  inboxDoc,
  ruleSetDocId,
  type InboxDoc,
  type PersonKeys,
  type ProductivityClass,
  type ProductivityRuleSet,
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

const set = (
  level: 'organisation' | 'team',
  id: string,
  issuedAt: number,
  cls: ProductivityClass = 'productive',
): ProductivityRuleSet => ({
  level,
  id,
  issuedAt,
  versions: [{ effectiveFrom: 0, rules: [{ id: 'x', match: { by: 'app', app: 'xterm' }, class: cls }] }],
});
function rulesDoc(s: ProductivityRuleSet, signer: PersonKeys = org.org, at = ruleSetDocId(s)): InboxDoc {
  const d = createRuleSetDocument(s, signer);
  if (!d.ok) throw new Error(d.error.message);
  return inboxDoc(at, 'productivity-rules', 'emp-1', s.issuedAt, d.value);
}

describe('foldInbox: productivity rule sets', () => {
  it('keeps the organisation set and the own team set, organisation first; skips another team', () => {
    const f = foldInbox(
      [
        org.recipients('emp-1', 'team-a', 1000),
        rulesDoc(set('team', 'team-a', 5)),
        rulesDoc(set('organisation', 'acme', 4)),
        rulesDoc(set('team', 'team-b', 6)),
      ],
      trust,
      {},
    );
    expect(f.rejected).toEqual([]);
    expect(f.productivity.map((s) => `${s.level}:${s.id}`)).toEqual(['organisation:acme', 'team:team-a']);
  });

  it('refuses a tampered set, a forged one and one moved under another id, and reports each', () => {
    const tampered = rulesDoc(set('organisation', 'acme', 4));
    (tampered.doc as { versions: ProductivityRuleSet['versions'] }).versions[0]!.rules[0]!.class = 'unproductive';
    const f = foldInbox(
      [
        org.recipients('emp-1', 'team-a', 1000),
        tampered,
        rulesDoc(set('team', 'team-a', 5), intruder),
        rulesDoc(set('team', 'team-b', 6), org.org, ruleSetDocId({ level: 'team', id: 'team-a' })),
      ],
      trust,
      {},
    );
    expect(f.productivity).toEqual([]);
    expect(f.rejected.map((r) => [r.type, r.code])).toEqual([
      ['productivity-rules', 'bad-signature'],
      ['productivity-rules', 'untrusted-signer'],
      ['productivity-rules', 'malformed-document'],
    ]);
  });

  it('refuses a replayed older set, keeps a vanished one in force and says so', () => {
    const first = foldInbox(
      [org.recipients('emp-1', 'team-a', 1000), rulesDoc(set('organisation', 'acme', 10))],
      trust,
      {},
    );
    const replay = foldInbox(
      [org.recipients('emp-1', 'team-a', 1000), rulesDoc(set('organisation', 'acme', 9, 'unproductive'))],
      trust,
      first.highWater,
      { recipients: first.recipients, kept: first.kept },
    );
    expect(replay.rejected.map((r) => r.code)).toEqual(['stale']);
    expect(replay.productivity[0]?.issuedAt).toBe(10);
    const gone = foldInbox([org.recipients('emp-1', 'team-a', 1000)], trust, first.highWater, {
      recipients: first.recipients,
      kept: first.kept,
    });
    expect(gone.productivity.map((s) => s.issuedAt)).toEqual([10]);
    expect(gone.rejected.map((r) => r.code)).toEqual(['unsigned-removal']);
  });
});
