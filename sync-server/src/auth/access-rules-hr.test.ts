/** decideAccess rows: HR: attendance and correction decisions. */
import { describe } from 'vitest';
import { CD, checkDecisions, hr, type Row } from './test-support/decision-table.js';

const rows: Row[] = [
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
];

describe('decideAccess: HR access', () => {
  checkDecisions(rows);
});
