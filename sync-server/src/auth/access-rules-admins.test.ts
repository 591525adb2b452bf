/** decideAccess rows: admins and super-admins, and requests whose endpoint and method do not fit. */
import { describe } from 'vitest';
import { admin, checkDecisions, device, member, type Row, superAdmin } from './test-support/decision-table.js';

const rows: Row[] = [
  // admins
  ['admin reads org records', admin, 'GET', 'st-org-records', 'changes', {}, 200],
  ['admin reads any team', admin, 'GET', 'st-team-t7-records', 'changes', {}, 200],
  ['admin reads HR attendance', admin, 'POST', 'st-hr-attendance', 'bulk-get', {}, 200],
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

describe('decideAccess: admin access and malformed requests', () => {
  checkDecisions(rows);
});
