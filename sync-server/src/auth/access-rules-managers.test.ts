/** decideAccess rows: what a manager reaches in team and team-member databases. */
import { describe } from 'vitest';
import { checkDecisions, manager, type Row } from './test-support/decision-table.js';

const rows: Row[] = [
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
];

describe('decideAccess: manager access to team data', () => {
  checkDecisions(rows);
});
