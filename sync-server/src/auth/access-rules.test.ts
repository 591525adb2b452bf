import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDbName, type ParsedDbName } from '../provisioning/db-names.js';
import {
  decideAccess,
  holdsKeyring,
  MANUAL_DECISION_PREFIX,
  mayManageDevices,
  mayManageUser,
  mayRevokeSessionsOf,
  mayViewDevicesOf,
  type AccessRequest,
  type Endpoint,
} from './access-rules.js';
import type { DevicePrincipal, PersonPrincipal, Principal, Role } from './principal.js';

const person = (role: Role, extra: Partial<PersonPrincipal> = {}): PersonPrincipal => ({
  type: 'person',
  userId: `u-${role}`,
  role,
  teams: [],
  employeeId: null,
  sessionId: 'a'.repeat(64),
  ...extra,
});
const device: DevicePrincipal = { type: 'device', deviceId: 'dev-1', employeeId: 'e1', teamId: 't1' };
const superAdmin = person('super-admin');
const admin = person('admin');
const manager = person('manager', { teams: ['t1'], employeeId: 'm1' });
const hr = person('hr', { employeeId: 'h1' });
const member = person('member', { employeeId: 'e1' });

function db(name: string): ParsedDbName {
  const p = parseDbName(name);
  if (!p) throw new Error(`bad db ${name}`);
  return p;
}

type Row = [
  label: string,
  who: Principal | null,
  method: string,
  dbName: string,
  endpoint: Endpoint,
  extra: Partial<AccessRequest>,
  expected: 200 | 401 | 403,
];

const CD = 'correction-decision:2025-01-06-1';
const MD_PREFIX = MANUAL_DECISION_PREFIX;
const MD = `${MD_PREFIX}m-1`;

const rows: Row[] = [
  // anonymous
  ['anonymous cannot read anything', null, 'GET', 'st-org-records', 'changes', {}, 401],
  ['anonymous cannot write records', null, 'POST', 'st-emp-e1-records', 'bulk-docs', {}, 401],
  // devices
  ['device writes own records', device, 'POST', 'st-emp-e1-records', 'bulk-docs', { docId: 'dev-1:000000000001' }, 200],
  ['device writes own blobs', device, 'PUT', 'st-emp-e1-blobs', 'doc', { docId: 'b1' }, 200],
  [
    'device reads own records (push conflict check)',
    device,
    'POST',
    'st-emp-e1-records',
    'all-docs',
    { docId: 'dev-1:000000000001' },
    200,
  ],
  ['device probes revs on own records', device, 'POST', 'st-emp-e1-records', 'revs-diff', {}, 200],
  [
    'device cannot delete own records',
    device,
    'POST',
    'st-emp-e1-records',
    'bulk-docs',
    { docId: 'x', deleting: true },
    403,
  ],
  ['device cannot DELETE a blob', device, 'DELETE', 'st-emp-e1-blobs', 'doc', { docId: 'b1' }, 403],
  ["device cannot write another employee's records", device, 'POST', 'st-emp-e2-records', 'bulk-docs', {}, 403],
  ["device cannot read another employee's records", device, 'GET', 'st-emp-e2-records', 'changes', {}, 403],
  ['device reads own inbox changes', device, 'GET', 'st-emp-e1-inbox', 'changes', {}, 200],
  ['device bulk-gets from own inbox', device, 'POST', 'st-emp-e1-inbox', 'bulk-get', { docId: 'policy:1' }, 200],
  ['device cannot write its inbox', device, 'POST', 'st-emp-e1-inbox', 'bulk-docs', { docId: 'policy:1' }, 403],
  ['device cannot read another inbox', device, 'GET', 'st-emp-e2-inbox', 'changes', {}, 403],
  [
    'device cannot keep a checkpoint in its read-only inbox',
    device,
    'PUT',
    'st-emp-e1-inbox',
    'local',
    { docId: '_local/x' },
    403,
  ],
  ['device reads a checkpoint in own inbox', device, 'GET', 'st-emp-e1-inbox', 'local', { docId: '_local/x' }, 200],
  ['device keeps a checkpoint in own records', device, 'PUT', 'st-emp-e1-records', 'local', { docId: '_local/x' }, 200],
  ['device keeps a checkpoint in own blobs', device, 'PUT', 'st-emp-e1-blobs', 'local', { docId: '_local/x' }, 200],
  [
    "device cannot checkpoint into another employee's records",
    device,
    'PUT',
    'st-emp-e2-records',
    'local',
    { docId: '_local/x' },
    403,
  ],
  ['device cannot read org records', device, 'GET', 'st-org-records', 'changes', {}, 403],
  ['device cannot read the directory', device, 'GET', 'st-org-directory', 'all-docs', {}, 403],
  ['device cannot touch st-system', device, 'GET', 'st-system', 'db', {}, 403],
  // members
  ['member reads own records', member, 'GET', 'st-emp-e1-records', 'changes', {}, 200],
  ['member reads own blobs', member, 'GET', 'st-emp-e1-blobs', 'doc', { docId: 'b1' }, 200],
  ['member reads own inbox', member, 'POST', 'st-emp-e1-inbox', 'all-docs', {}, 200],
  ['member cannot write own records', member, 'POST', 'st-emp-e1-records', 'bulk-docs', {}, 403],
  ['member cannot read another employee', member, 'GET', 'st-emp-e2-records', 'changes', {}, 403],
  ['member cannot read team records', member, 'GET', 'st-team-t1-records', 'changes', {}, 403],
  ['member cannot read org records', member, 'GET', 'st-org-records', 'all-docs', {}, 403],
  ['member cannot read audit', member, 'GET', 'st-audit', 'changes', {}, 403],
  ['member cannot read HR attendance', member, 'GET', 'st-hr-attendance', 'changes', {}, 403],
  // managers
  ['manager reads assigned team', manager, 'GET', 'st-team-t1-records', 'changes', {}, 200],
  ['manager cannot read another team', manager, 'GET', 'st-team-t2-records', 'changes', {}, 403],
  ['manager cannot write team records', manager, 'POST', 'st-team-t1-records', 'bulk-docs', {}, 403],
  [
    'manager cannot checkpoint into a team db it only reads',
    manager,
    'PUT',
    'st-team-t1-records',
    'local',
    { docId: '_local/cp' },
    403,
  ],
  [
    "manager cannot checkpoint into a team member's blobs",
    manager,
    'PUT',
    'st-emp-e1-blobs',
    'local',
    { docId: '_local/cp', subjectTeams: ['t1'] },
    403,
  ],
  [
    'manager cannot read checkpoints in blobs it fetches one by one',
    manager,
    'GET',
    'st-emp-e1-blobs',
    'local',
    { docId: '_local/cp', subjectTeams: ['t1'] },
    403,
  ],
  [
    "manager cannot probe revisions of a team member's blobs",
    manager,
    'POST',
    'st-emp-e1-blobs',
    'revs-diff',
    { subjectTeams: ['t1'] },
    403,
  ],
  [
    'manager fetches one screenshot of a team member',
    manager,
    'GET',
    'st-emp-e1-blobs',
    'doc',
    { docId: 'b1', subjectTeams: ['t1'] },
    200,
  ],
  [
    "manager cannot list a team member's blobs",
    manager,
    'GET',
    'st-emp-e1-blobs',
    'changes',
    { subjectTeams: ['t1'] },
    403,
  ],
  [
    'manager cannot fetch blobs outside their teams',
    manager,
    'GET',
    'st-emp-e9-blobs',
    'doc',
    { docId: 'b1', subjectTeams: ['t2'] },
    403,
  ],
  ['manager blob fetch without team info is refused', manager, 'GET', 'st-emp-e1-blobs', 'doc', { docId: 'b1' }, 403],
  ['manager reads own records', manager, 'GET', 'st-emp-m1-records', 'changes', {}, 200],
  ['manager cannot read org records', manager, 'GET', 'st-org-records', 'changes', {}, 403],
  ['manager cannot read audit', manager, 'GET', 'st-audit', 'all-docs', {}, 403],
  // manual time decisions (issue 17): the team's manager, HR (and admins) write them, by id family
  [
    'manager writes a manual time decision for a team member',
    manager,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: MD, docType: 'correction-decision', subjectTeams: ['t1'] },
    200,
  ],
  [
    'manager reads back a manual time decision by key',
    manager,
    'POST',
    'st-emp-e1-inbox',
    'all-docs',
    { docId: MD, subjectTeams: ['t1'] },
    200,
  ],
  [
    'manager cannot write a manual time decision outside their teams',
    manager,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: MD, docType: 'correction-decision', subjectTeams: ['t2'] },
    403,
  ],
  [
    'manager cannot write a manual time decision without known teams',
    manager,
    'PUT',
    'st-emp-e1-inbox',
    'doc',
    { docId: MD },
    403,
  ],
  [
    'manager cannot write a correction decision',
    manager,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: CD, docType: 'correction-decision', subjectTeams: ['t1'] },
    403,
  ],
  [
    'manager cannot write a policy into a team inbox',
    manager,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: `${MD_PREFIX}x`, docType: 'policy', subjectTeams: ['t1'] },
    403,
  ],
  [
    'manager cannot delete a manual time decision',
    manager,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: MD, deleting: true, subjectTeams: ['t1'] },
    403,
  ],
  [
    "manager cannot list a team member's inbox",
    manager,
    'GET',
    'st-emp-e1-inbox',
    'changes',
    { subjectTeams: ['t1'] },
    403,
  ],
  [
    'manager cannot read a policy in a team inbox by key',
    manager,
    'GET',
    'st-emp-e1-inbox',
    'doc',
    { docId: 'policy:1', subjectTeams: ['t1'] },
    403,
  ],
  ['manager reads own inbox in full', manager, 'GET', 'st-emp-m1-inbox', 'changes', {}, 200],
  [
    'hr writes a manual time decision',
    hr,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: MD, docType: 'correction-decision' },
    200,
  ],
  [
    'member cannot write a manual time decision',
    member,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: MD, docType: 'correction-decision' },
    403,
  ],
  [
    'device cannot write its own manual time decision',
    device,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: MD, docType: 'correction-decision' },
    403,
  ],
  // HR
  ['hr reads attendance', hr, 'GET', 'st-hr-attendance', 'changes', {}, 200],
  ['hr cannot write attendance', hr, 'POST', 'st-hr-attendance', 'bulk-docs', {}, 403],
  [
    'hr writes a correction decision to an inbox',
    hr,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: CD, docType: 'correction-decision' },
    200,
  ],
  ['hr PUTs a correction decision', hr, 'PUT', 'st-emp-e1-inbox', 'doc', { docId: CD }, 200],
  ['hr reads back a decision by key (push check)', hr, 'POST', 'st-emp-e1-inbox', 'all-docs', { docId: CD }, 200],
  [
    'hr cannot write a policy to an inbox',
    hr,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: 'policy:1', docType: 'policy' },
    403,
  ],
  [
    'hr cannot disguise a policy as a decision id',
    hr,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: CD, docType: 'policy' },
    403,
  ],
  ['hr cannot delete a decision', hr, 'POST', 'st-emp-e1-inbox', 'bulk-docs', { docId: CD, deleting: true }, 403],
  ["hr cannot list someone's inbox", hr, 'GET', 'st-emp-e1-inbox', 'changes', {}, 403],
  ['hr cannot read a policy by key', hr, 'GET', 'st-emp-e1-inbox', 'doc', { docId: 'policy:1' }, 403],
  ['hr cannot read employee records', hr, 'GET', 'st-emp-e1-records', 'changes', {}, 403],
  ['hr cannot read org records', hr, 'GET', 'st-org-records', 'changes', {}, 403],
  ['hr reads own inbox in full', hr, 'GET', 'st-emp-h1-inbox', 'changes', {}, 200],
  ['hr cannot checkpoint into an inbox', hr, 'PUT', 'st-emp-e1-inbox', 'local', { docId: '_local/cp' }, 403],
  ['hr cannot probe whether a key ring exists in an inbox', hr, 'POST', 'st-emp-e1-inbox', 'revs-diff', {}, 403],
  // admins
  ['admin reads org records', admin, 'GET', 'st-org-records', 'changes', {}, 200],
  ['admin reads any team', admin, 'GET', 'st-team-t7-records', 'changes', {}, 200],
  ['admin reads HR attendance', admin, 'POST', 'st-hr-attendance', 'bulk-get', {}, 200],
  [
    'HR reads a schedule in the directory by name',
    hr,
    'POST',
    'st-org-directory',
    'all-docs',
    { docId: 'schedule:team:t9' },
    200,
  ],
  ['HR reads the holiday list by name', hr, 'GET', 'st-org-directory', 'doc', { docId: 'holidays:acme' }, 200],
  ['HR cannot list the directory', hr, 'GET', 'st-org-directory', 'all-docs', {}, 403],
  [
    'HR cannot read a key ring in the directory',
    hr,
    'POST',
    'st-org-directory',
    'all-docs',
    { docId: 'keyring:organisation:acme' },
    403,
  ],
  [
    'HR reads an employee entry in the directory by name (their team picks the schedule)',
    hr,
    'POST',
    'st-org-directory',
    'all-docs',
    { docId: 'employee:e1' },
    200,
  ],
  [
    'manager cannot read employee entries in the directory',
    manager,
    'POST',
    'st-org-directory',
    'all-docs',
    { docId: 'employee:e1' },
    403,
  ],
  ['HR cannot read a team entry in the directory', hr, 'GET', 'st-org-directory', 'doc', { docId: 'team:t1' }, 403],
  ['HR cannot write a schedule', hr, 'POST', 'st-org-directory', 'bulk-docs', { docId: 'schedule:team:t1' }, 403],
  [
    'manager reads their team schedule',
    manager,
    'POST',
    'st-org-directory',
    'all-docs',
    { docId: 'schedule:team:t1' },
    200,
  ],
  [
    'manager reads the organisation schedule',
    manager,
    'POST',
    'st-org-directory',
    'all-docs',
    { docId: 'schedule:organisation:acme' },
    200,
  ],
  [
    'manager cannot read another team schedule',
    manager,
    'POST',
    'st-org-directory',
    'all-docs',
    { docId: 'schedule:team:t2' },
    403,
  ],
  [
    'member cannot read schedules',
    member,
    'POST',
    'st-org-directory',
    'all-docs',
    { docId: 'schedule:organisation:acme' },
    403,
  ],
  [
    'manager reads the organisation productivity rules',
    manager,
    'POST',
    'st-org-directory',
    'all-docs',
    { docId: 'productivity:organisation:acme' },
    200,
  ],
  [
    'manager reads their team productivity rules',
    manager,
    'POST',
    'st-org-directory',
    'all-docs',
    { docId: 'productivity:team:t1' },
    200,
  ],
  [
    'manager cannot read another team productivity rules',
    manager,
    'POST',
    'st-org-directory',
    'all-docs',
    { docId: 'productivity:team:t2' },
    403,
  ],
  [
    'HR cannot read productivity rules',
    hr,
    'POST',
    'st-org-directory',
    'all-docs',
    { docId: 'productivity:organisation:acme' },
    403,
  ],
  [
    'manager cannot write productivity rules',
    manager,
    'POST',
    'st-org-directory',
    'bulk-docs',
    { docId: 'productivity:team:t1' },
    403,
  ],
  [
    'admin writes productivity rules to an inbox',
    admin,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: 'productivity:team:t1', docType: 'productivity-rules' },
    200,
  ],
  // issue 17: a manager finds the organisation's rule set by listing that id family, and nothing else
  [
    "manager lists the organisation's productivity rule sets",
    manager,
    'GET',
    'st-org-directory',
    'all-docs',
    { prefix: 'productivity:organisation:' },
    200,
  ],
  ['manager cannot list the whole directory', manager, 'GET', 'st-org-directory', 'all-docs', {}, 403],
  [
    'manager cannot list the team rule sets (theirs are read by name)',
    manager,
    'GET',
    'st-org-directory',
    'all-docs',
    { prefix: 'productivity:' },
    403,
  ],
  ['manager cannot list key rings', manager, 'GET', 'st-org-directory', 'all-docs', { prefix: 'keyring:' }, 403],
  [
    'HR cannot list the organisation rule sets',
    hr,
    'GET',
    'st-org-directory',
    'all-docs',
    { prefix: 'productivity:organisation:' },
    403,
  ],
  [
    'a bounded listing does not open an inbox to a manager',
    manager,
    'GET',
    'st-emp-e1-inbox',
    'all-docs',
    { prefix: 'productivity:organisation:' },
    403,
  ],
  // issue 17: managers publish projects of their own teams, nothing else
  [
    'manager publishes a project of their team in the directory',
    manager,
    'POST',
    'st-org-directory',
    'bulk-docs',
    { docId: 'project:apollo', docTeams: ['t1'], priorTeams: [] },
    200,
  ],
  [
    "manager edits their team's project in the directory",
    manager,
    'POST',
    'st-org-directory',
    'bulk-docs',
    { docId: 'project:apollo', docTeams: ['t1'], priorTeams: ['t1'] },
    200,
  ],
  [
    'manager cannot name a team they do not manage',
    manager,
    'POST',
    'st-org-directory',
    'bulk-docs',
    { docId: 'project:apollo', docTeams: ['t1', 't2'], priorTeams: [] },
    403,
  ],
  [
    "manager cannot take over another team's project",
    manager,
    'POST',
    'st-org-directory',
    'bulk-docs',
    { docId: 'project:apollo', docTeams: ['t1'], priorTeams: ['t2'] },
    403,
  ],
  [
    'manager cannot write a project whose teams were not read',
    manager,
    'POST',
    'st-org-directory',
    'bulk-docs',
    { docId: 'project:apollo' },
    403,
  ],
  [
    'manager cannot delete a project',
    manager,
    'POST',
    'st-org-directory',
    'bulk-docs',
    { docId: 'project:apollo', deleting: true, priorTeams: ['t1'] },
    403,
  ],
  [
    'manager cannot write other directory documents',
    manager,
    'POST',
    'st-org-directory',
    'bulk-docs',
    { docId: 'team:t1', docTeams: ['t1'], priorTeams: [] },
    403,
  ],
  ['manager lists the projects', manager, 'GET', 'st-org-directory', 'all-docs', { prefix: 'project:' }, 200],
  ['manager reads a project by name', manager, 'GET', 'st-org-directory', 'doc', { docId: 'project:apollo' }, 200],
  [
    'HR cannot write a project',
    hr,
    'POST',
    'st-org-directory',
    'bulk-docs',
    { docId: 'project:apollo', docTeams: ['t1'], priorTeams: [] },
    403,
  ],
  [
    "manager delivers their team's project to a team member's inbox",
    manager,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: 'project:apollo', docType: 'project', docTeams: ['t1'], priorTeams: [], subjectTeams: ['t1'] },
    200,
  ],
  [
    'manager cannot deliver a project naming another team',
    manager,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: 'project:apollo', docType: 'project', docTeams: ['t2'], priorTeams: [], subjectTeams: ['t1'] },
    403,
  ],
  [
    "manager cannot overwrite another team's project in an inbox",
    manager,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: 'project:apollo', docType: 'project', docTeams: ['t1'], priorTeams: ['t1', 't2'], subjectTeams: ['t1'] },
    403,
  ],
  [
    'manager cannot write a policy under a project id',
    manager,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: 'project:apollo', docType: 'policy', docTeams: ['t1'], priorTeams: [], subjectTeams: ['t1'] },
    403,
  ],
  [
    "manager cannot deliver a project outside their teams' inboxes",
    manager,
    'POST',
    'st-emp-e9-inbox',
    'bulk-docs',
    { docId: 'project:apollo', docType: 'project', docTeams: ['t1'], priorTeams: [], subjectTeams: ['t2'] },
    403,
  ],
  [
    'manager still writes manual time decisions',
    manager,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: 'correction-decision:manual-time:x1', docType: 'correction-decision', subjectTeams: ['t1'] },
    200,
  ],
  ['admin reads the directory', admin, 'GET', 'st-org-directory', 'all-docs', {}, 200],
  ['admin writes the directory', admin, 'POST', 'st-org-directory', 'bulk-docs', { docId: 'recipients' }, 200],
  ['admin reads audit', admin, 'GET', 'st-audit', 'changes', {}, 200],
  [
    'admin writes a policy to an inbox',
    admin,
    'POST',
    'st-emp-e1-inbox',
    'bulk-docs',
    { docId: 'policy:1', docType: 'policy' },
    200,
  ],
  ['admin checkpoints into an inbox', admin, 'PUT', 'st-emp-e1-inbox', 'local', { docId: '_local/cp' }, 200],
  ['admin checkpoints into the directory', admin, 'PUT', 'st-org-directory', 'local', { docId: '_local/cp' }, 200],
  [
    'admin cannot checkpoint into org records it only reads',
    admin,
    'PUT',
    'st-org-records',
    'local',
    { docId: '_local/cp' },
    403,
  ],
  ['admin fetches any blob', admin, 'GET', 'st-emp-e5-blobs', 'doc', { docId: 'b1' }, 200],
  ['admin cannot write employee records', admin, 'POST', 'st-emp-e1-records', 'bulk-docs', {}, 403],
  ['admin cannot write org records', admin, 'POST', 'st-org-records', 'bulk-docs', {}, 403],
  ['admin cannot write audit', admin, 'POST', 'st-audit', 'bulk-docs', {}, 403],
  ['admin cannot delete an audit entry', admin, 'DELETE', 'st-audit', 'doc', { docId: 'x' }, 403],
  ['admin cannot checkpoint into audit', admin, 'PUT', 'st-audit', 'local', { docId: '_local/cp' }, 403],
  ['admin cannot touch st-system', admin, 'GET', 'st-system', 'all-docs', {}, 403],
  ['super-admin reads audit', superAdmin, 'POST', 'st-audit', 'all-docs', { docId: 'x' }, 200],
  ['super-admin cannot write audit', superAdmin, 'PUT', 'st-audit', 'doc', { docId: 'x' }, 403],
  ['super-admin cannot touch st-system', superAdmin, 'POST', 'st-system', 'bulk-docs', {}, 403],
  // endpoint/method mismatches
  ['PUT on the db endpoint (create db) is refused', superAdmin, 'PUT', 'st-org-records', 'db', {}, 403],
  ['DELETE on the db endpoint is refused', superAdmin, 'DELETE', 'st-org-directory', 'db', {}, 403],
  ['GET on _bulk_docs is refused', device, 'GET', 'st-emp-e1-records', 'bulk-docs', {}, 403],
  ['doc GET without an id is refused', admin, 'GET', 'st-org-records', 'doc', {}, 403],
  ['lower-case methods are understood', member, 'get', 'st-emp-e1-records', 'changes', {}, 200],
];

describe('decideAccess', () => {
  it('has a wide table', () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it.each(rows)('%s', (_label, who, method, dbName, endpoint, extra, expected) => {
    const d = decideAccess(who, { method, db: db(dbName), endpoint, ...extra });
    if (expected === 200) {
      expect(d).toEqual({ allow: true });
    } else {
      expect(d.allow).toBe(false);
      if (!d.allow) {
        expect(d.status).toBe(expected);
        expect(d.reason.length).toBeGreaterThan(5);
      }
    }
  });
});

describe('account and device management rules', () => {
  it.each<[Role, Role, Role | undefined, boolean]>([
    ['super-admin', 'super-admin', undefined, true],
    ['super-admin', 'admin', 'member', true],
    ['admin', 'member', undefined, true],
    ['admin', 'manager', 'hr', true],
    ['admin', 'admin', undefined, false],
    ['admin', 'member', 'admin', false],
    ['admin', 'super-admin', 'member', false],
    ['manager', 'member', undefined, false],
    ['hr', 'member', undefined, false],
    ['member', 'member', undefined, false],
  ])('%s managing %s (currently %s): %s', (actor, target, current, ok) => {
    expect(mayManageUser(person(actor), target, current)).toBe(ok);
  });

  it('only admins manage devices', () => {
    expect([superAdmin, admin, manager, hr, member].map(mayManageDevices)).toEqual([true, true, false, false, false]);
  });

  it('people may end their own sessions; admins those of people below them', () => {
    expect(mayRevokeSessionsOf(member, member.userId, 'member')).toBe(true);
    expect(mayRevokeSessionsOf(member, 'someone', 'member')).toBe(false);
    expect(mayRevokeSessionsOf(admin, 'someone', 'manager')).toBe(true);
    expect(mayRevokeSessionsOf(admin, 'other-admin', 'admin')).toBe(false);
  });
});

describe('key rings and device keys for reviewers', () => {
  const manager2 = person('manager', { teams: ['t1', 't2'] });
  it.each<[string, PersonPrincipal, string, string, boolean]>([
    ['admin holds the organisation ring', admin, 'organisation', 'acme', true],
    ['super-admin holds the organisation ring', superAdmin, 'organisation', 'acme', true],
    ['HR does not get the organisation ring', hr, 'organisation', 'acme', false],
    ['manager does not get the organisation ring', manager, 'organisation', 'acme', false],
    ['HR holds the HR ring', hr, 'hr', 'acme', true],
    ['admin is not handed the HR ring', admin, 'hr', 'acme', false],
    ['manager does not get the HR ring', manager, 'hr', 'acme', false],
    ['member does not get the HR ring', member, 'hr', 'acme', false],
    ['manager holds their team ring', manager, 'team', 't1', true],
    ['manager of two teams holds the second', manager2, 'team', 't2', true],
    ['manager does not get another team ring', manager, 'team', 't2', false],
    ['HR does not get a team ring', hr, 'team', 't1', false],
    ['member does not get a team ring', person('member', { teams: ['t1'] }), 'team', 't1', false],
    ['a person holds their own employee ring', member, 'employee', 'e1', true],
    ['nobody else gets an employee ring', manager, 'employee', 'e1', false],
    ['an unknown role is never handed out', admin, 'root', 'acme', false],
  ])('%s', (_label, who, role, owner, ok) => {
    expect(holdsKeyring(who, role, owner)).toBe(ok);
  });

  it.each<[string, PersonPrincipal, string[], boolean]>([
    ["admin sees anyone's devices", admin, [], true],
    ['HR sees the devices of people in any team', hr, ['t9'], true],
    ['HR sees the devices of people in no team', hr, [], true],
    ["manager sees devices of their team's people", manager, ['t1'], true],
    ["manager does not see another team's devices", manager, ['t2'], false],
    ['manager does not see devices of people in no team', manager, [], false],
    ["member does not see others' devices", member, ['t1'], false],
  ])('%s', (_label, who, teams, ok) => {
    expect(mayViewDevicesOf(who, teams)).toBe(ok);
  });
});

describe('purity', () => {
  it('access-rules.ts imports nothing but local pure types and @sealtime/shared', () => {
    const src = readFileSync(new URL('./access-rules.ts', import.meta.url), 'utf8');
    const specs = [...src.matchAll(/^\s*import\s[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(specs.length).toBeGreaterThan(0);
    for (const s of specs) {
      const localType = s === './principal.js' || s === '../provisioning/db-names.js';
      expect(localType || s === '@sealtime/shared', `import of ${s}`).toBe(true);
    }
    // Local imports must be type-only so nothing with side effects loads.
    expect(src).not.toMatch(/^import \{[^}]*\} from '\.\.?\//m);
    expect(src).not.toMatch(/\b(require|process|Buffer|globalThis|fetch)\b/);
  });
});
