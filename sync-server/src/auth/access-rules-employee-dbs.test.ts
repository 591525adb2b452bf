/** decideAccess rows: who reaches an employee's own databases: anonymous callers, the device, the employee. */
import { describe } from 'vitest';
import { checkDecisions, device, member, type Row } from './test-support/decision-table.js';

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
];

describe('decideAccess: employee databases', () => {
  checkDecisions(rows);
});
