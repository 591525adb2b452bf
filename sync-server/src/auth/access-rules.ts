/**
 * Who may do what, as one pure function the gateway asks for every request
 * (and, for bulk reads and writes, once per document). No I/O: everything the
 * decision needs is in the principal and the request description.
 *
 * Summary (DESIGN.md decision 4, issue 3):
 *   devices   read/write their own employee's records and blobs (never delete),
 *             read their own inbox
 *   everyone  a person with an employee id reads that employee's own databases
 *   manager   reads team records of assigned teams; fetches single screenshot
 *             blobs of employees in those teams
 *   hr        reads HR attendance; reads/writes correction decisions in inboxes
 *             (manual time decisions among them)
 *   manager   reads/writes manual time decisions in the inboxes of their
 *             teams' employees (the policy may name the manager as approver)
 *   reviewers HR and managers get the key rings their role holds through the
 *             gateway (holdsKeyring), never the directory itself; they see the
 *             device public keys of the people they review (mayViewDevicesOf);
 *             they read the signed work schedules and holiday list in the
 *             directory by name (scheduleReadable), nothing else there
 *   admin,    read every records/blobs/consolidated database, the directory and
 *   super-    the audit trail; write inboxes (policies, key rings, decisions)
 *   admin     and the directory
 *   nobody    touches st-system (gateway only) or writes st-audit (append-only,
 *             written by the server itself)
 *
 * Replication checkpoints (`_local`) only where the principal replicates
 * into: a device in its records and blobs, an admin in inboxes and the
 * directory; read back where they may also be written or everything is
 * readable. (A pull from a read-only source keeps its checkpoint on the
 * client: PouchDB falls back to that on a 403.) `_revs_diff` answers which
 * ids exist, so it needs full read.
 */
import { MANUAL_DECISION_PREFIX, PROJECT_DOC_PREFIX } from '@sealtime/shared';
import type { ParsedDbName } from '../provisioning/db-names.js';
import type { PersonPrincipal, Principal, Role } from './principal.js';

/** The CouchDB endpoints the gateway lets through, named independently of URL syntax. */
export type Endpoint =
  | 'db' //          GET/HEAD /db (info), POST /db (new doc)
  | 'changes' //     GET/POST /db/_changes
  | 'all-docs' //    GET /db/_all_docs, POST with keys (one decision per key)
  | 'bulk-get' //    POST /db/_bulk_get (one decision per doc)
  | 'revs-diff' //   POST /db/_revs_diff
  | 'bulk-docs' //   POST /db/_bulk_docs (one decision per doc)
  | 'local' //       GET/PUT/DELETE /db/_local/<id> (replication checkpoints)
  | 'doc'; //        GET/HEAD/PUT/DELETE /db/<id>

export interface AccessRequest {
  method: string;
  db: ParsedDbName;
  endpoint: Endpoint;
  /** The document concerned; required for keyed reads and for writes to restricted doc families. */
  docId?: string;
  /** For inbox writes: the document's `type` field as parsed by the gateway. */
  docType?: string;
  /** True when the write deletes (DELETE, or `_deleted: true` inside _bulk_docs). */
  deleting?: boolean;
  /** For employee-* databases: the teams that employee belongs to, as the gateway resolved them. */
  subjectTeams?: readonly string[];
  /** For a listing bounded to ids that start with this (gateway/prefix-listing.ts). */
  prefix?: string;
  /** For a manager's project write: the teams the written project names (gateway/project-teams.ts). */
  docTeams?: readonly string[];
  /** …and the teams of the version it replaces ([] when new). */
  priorTeams?: readonly string[];
}

export type AccessDecision = { allow: true } | { allow: false; status: 401 | 403; reason: string };

/** Inbox documents HR may read and write are named with this prefix. */
export const CORRECTION_DECISION_PREFIX = 'correction-decision:';

/** Manual time decisions are inside the correction-decision family: HR's rule already covers them. */
export { MANUAL_DECISION_PREFIX };

type Operation = 'info' | 'list' | 'keyed-read' | 'write' | 'probe' | 'checkpoint-read' | 'checkpoint-write';

interface Grant {
  /** 'all': any read; 'keyed': only named documents that pass `keyed`. */
  read: 'all' | 'keyed' | 'none';
  keyed?: (docId: string) => boolean;
  /** undefined = may not write; a function returns a refusal reason or undefined. */
  write?: (req: AccessRequest) => string | undefined;
  /** The principal replicates into this database, so may keep `_local` checkpoints there. */
  checkpoints?: boolean;
  /** Where there is no full read: id prefixes that may still be listed (a listing bounded to one). */
  listable?: (prefix: string) => boolean;
}

const NONE: Grant = { read: 'none' };
const READ: Grant = { read: 'all' };
const ALLOW: AccessDecision = { allow: true };

function deny(reason: string): AccessDecision {
  return { allow: false, status: 403, reason };
}

function operationOf(method: string, endpoint: Endpoint, docId: string | undefined): Operation | null {
  const m = method.toUpperCase();
  const isGet = m === 'GET' || m === 'HEAD';
  switch (endpoint) {
    case 'db':
      return isGet ? 'info' : m === 'POST' ? 'write' : null;
    case 'changes':
      return isGet || m === 'POST' ? 'list' : null;
    case 'all-docs':
      if (isGet) return 'list';
      return m === 'POST' ? (docId === undefined ? 'list' : 'keyed-read') : null;
    case 'bulk-get':
      return m === 'POST' ? (docId === undefined ? 'list' : 'keyed-read') : null;
    case 'revs-diff':
      return m === 'POST' ? 'probe' : null;
    case 'bulk-docs':
      return m === 'POST' ? 'write' : null;
    case 'local':
      return isGet ? 'checkpoint-read' : m === 'PUT' || m === 'DELETE' ? 'checkpoint-write' : null;
    case 'doc':
      if (isGet) return docId === undefined ? null : 'keyed-read';
      return m === 'PUT' || m === 'DELETE' ? 'write' : null;
    default:
      return null;
  }
}

const isAdmin = (role: Role): boolean => role === 'admin' || role === 'super-admin';

function appendOnlyWrite(what: string): (req: AccessRequest) => string | undefined {
  return (req) =>
    req.deleting || req.method.toUpperCase() === 'DELETE'
      ? `${what} are append-only: they cannot be deleted`
      : undefined;
}

function hrDecisionWrite(req: AccessRequest): string | undefined {
  if (req.docId === undefined || !req.docId.startsWith(CORRECTION_DECISION_PREFIX)) {
    return `HR may only write inbox documents named ${CORRECTION_DECISION_PREFIX}…`;
  }
  if (req.docType !== undefined && req.docType !== 'correction-decision')
    return 'HR may only write correction decisions';
  if (req.deleting || req.method.toUpperCase() === 'DELETE') return 'correction decisions cannot be deleted';
  return undefined;
}

function managerManualWrite(req: AccessRequest): string | undefined {
  if (req.docId === undefined || !req.docId.startsWith(MANUAL_DECISION_PREFIX))
    return `a manager may only write inbox documents named ${MANUAL_DECISION_PREFIX}…`;
  if (req.docType !== undefined && req.docType !== 'correction-decision')
    return 'a manager may only write manual time decisions';
  if (req.deleting || req.method.toUpperCase() === 'DELETE') return 'manual time decisions cannot be deleted';
  return undefined;
}

/**
 * A manager publishes projects of the teams they manage (issue 17), signed
 * with that team's key: in the directory and in their team members'
 * inboxes. The project must name only their teams, and so must the version
 * it replaces; projects are replaced by newer signed versions, never deleted.
 */
function managerProjectWrite(p: PersonPrincipal, inbox: boolean): (req: AccessRequest) => string | undefined {
  return (req) => {
    if (req.docId === undefined || !req.docId.startsWith(PROJECT_DOC_PREFIX))
      return `a manager may only write documents named ${PROJECT_DOC_PREFIX}… here`;
    if (inbox && req.docType !== 'project') return 'a manager may only write projects here';
    if (req.deleting || req.method.toUpperCase() === 'DELETE')
      return 'projects are not deleted: a newer signed version archives them';
    const teams = req.docTeams ?? [];
    if (teams.length === 0) return "the project's teams could not be read";
    const foreign = [...teams, ...(req.priorTeams ?? ['(unknown)'])].find((t) => !p.teams.includes(t));
    return foreign === undefined ? undefined : `a manager's project may name only teams they manage, not ${foreign}`;
  };
}

/**
 * Directory documents HR and managers may read by name: the organisation's
 * signed work schedules and holiday list, which their attendance sheets are
 * measured against, and for HR the signed employee entries (which team a
 * person is in decides which team schedule applies). A manager gets the organisation's, their own teams' and
 * employees' schedules: an employee document's id does not say the team, so
 * a manager who knows an id outside their teams could read those working
 * hours (times only; the organisation key signs them, the server cannot
 * change them).
 */
export function scheduleReadable(p: PersonPrincipal, docId: string): boolean {
  if (
    docId.startsWith('holidays:') ||
    docId.startsWith('schedule:organisation:') ||
    docId.startsWith('schedule:employee:')
  )
    return true;
  if (docId.startsWith('employee:')) return p.role === 'hr';
  if (!docId.startsWith('schedule:team:')) return false;
  return p.role === 'hr' || p.teams.includes(docId.slice('schedule:team:'.length));
}

/**
 * Productivity rule sets a manager may read by name: the organisation's and
 * their own teams' (their team view is classified with them). HR reads no
 * activity, so no rules either.
 */
export function productivityRulesReadable(p: PersonPrincipal, docId: string): boolean {
  if (p.role !== 'manager') return false;
  if (docId.startsWith(ORG_RULES_PREFIX)) return true;
  return docId.startsWith('productivity:team:') && p.teams.includes(docId.slice('productivity:team:'.length));
}

const ORG_RULES_PREFIX = 'productivity:organisation:';

/**
 * What a manager may list in the directory: the organisation's rule sets.
 * Their id carries the organisation id, which a manager's keys do not name,
 * so a manager finds the set by listing that family (readable by name
 * anyway) and checks its signature; team overrides apply on top of it.
 */
export function directoryListable(p: PersonPrincipal, prefix: string): boolean {
  // and the projects, whose ids name no team: the core shows them by team (names and teams only, signed)
  return p.role === 'manager' && (prefix.startsWith(ORG_RULES_PREFIX) || prefix.startsWith(PROJECT_DOC_PREFIX));
}

function deviceGrant(p: Extract<Principal, { type: 'device' }>, db: ParsedDbName): Grant {
  if (!('employeeId' in db) || db.employeeId !== p.employeeId) return NONE;
  if (db.kind === 'employee-inbox') return READ;
  return {
    read: 'all',
    write: appendOnlyWrite(db.kind === 'employee-records' ? 'records' : 'blobs'),
    checkpoints: true,
  };
}

function personGrant(p: PersonPrincipal, req: AccessRequest): Grant {
  const db = req.db;
  const own = 'employeeId' in db && p.employeeId !== null && db.employeeId === p.employeeId;
  const admin = isAdmin(p.role);
  switch (db.kind) {
    case 'employee-records':
      return own || admin ? READ : NONE;
    case 'employee-blobs': {
      if (own || admin) return READ;
      const inTeam = p.role === 'manager' && (req.subjectTeams ?? []).some((t) => p.teams.includes(t));
      // Screenshots are fetched one by one on demand, never listed in bulk.
      return inTeam ? { read: 'keyed', keyed: () => true } : NONE;
    }
    case 'employee-inbox':
      if (admin) return { read: 'all', write: () => undefined, checkpoints: true };
      if (p.role === 'hr') {
        const hr: Grant = {
          read: 'keyed',
          keyed: (id) => id.startsWith(CORRECTION_DECISION_PREFIX),
          write: hrDecisionWrite,
        };
        return own ? { ...hr, read: 'all' } : hr;
      }
      if (p.role === 'manager' && !own && (req.subjectTeams ?? []).some((t) => p.teams.includes(t)))
        return {
          read: 'keyed',
          keyed: (id) => id.startsWith(MANUAL_DECISION_PREFIX) || id.startsWith(PROJECT_DOC_PREFIX),
          write: (r) =>
            r.docId?.startsWith(PROJECT_DOC_PREFIX) ? managerProjectWrite(p, true)(r) : managerManualWrite(r),
        };
      return own ? READ : NONE;
    case 'team-records':
      return admin || (p.role === 'manager' && p.teams.includes(db.teamId)) ? READ : NONE;
    case 'org-records':
      return admin ? READ : NONE;
    case 'hr-attendance':
      return admin || p.role === 'hr' ? READ : NONE;
    case 'org-directory':
      if (admin) return { read: 'all', write: () => undefined, checkpoints: true };
      return p.role === 'hr' || p.role === 'manager'
        ? {
            read: 'keyed',
            keyed: (id) =>
              scheduleReadable(p, id) ||
              productivityRulesReadable(p, id) ||
              (p.role === 'manager' && id.startsWith(PROJECT_DOC_PREFIX)),
            listable: (prefix) => directoryListable(p, prefix),
            ...(p.role === 'manager' ? { write: managerProjectWrite(p, false) } : {}),
          }
        : NONE;
    case 'audit':
      return admin ? READ : NONE;
    case 'system':
      return NONE;
    default:
      return NONE;
  }
}

function describe(db: ParsedDbName): string {
  if ('employeeId' in db) return `${db.kind} of ${db.employeeId}`;
  if (db.kind === 'team-records') return `team-records of ${db.teamId}`;
  return db.kind;
}

export function decideAccess(principal: Principal | null, req: AccessRequest): AccessDecision {
  if (!principal) return { allow: false, status: 401, reason: 'authentication required' };
  const op = operationOf(req.method, req.endpoint, req.docId);
  if (!op) return deny(`${req.method.toUpperCase()} is not allowed on ${req.endpoint}`);
  if (req.db.kind === 'system') return deny('st-system is reserved for the gateway');
  if (req.db.kind === 'audit' && (op === 'write' || op === 'checkpoint-write' || op === 'probe')) {
    return deny('the audit trail is append-only and written by the server alone');
  }

  const grant = principal.type === 'device' ? deviceGrant(principal, req.db) : personGrant(principal, req);
  const where = describe(req.db);
  const any = grant.read !== 'none' || grant.write !== undefined;
  switch (op) {
    case 'info':
      return any ? ALLOW : deny(`no access to ${where}`);
    case 'checkpoint-write':
      return grant.checkpoints
        ? ALLOW
        : deny(`replication checkpoints are kept only where one replicates into; not in ${where}`);
    case 'checkpoint-read':
      return grant.checkpoints || grant.read === 'all' ? ALLOW : deny(`no checkpoint access in ${where}`);
    case 'list':
      if (grant.read === 'all') return ALLOW;
      if (req.prefix !== undefined && grant.listable?.(req.prefix)) return ALLOW;
      return deny(
        grant.read === 'keyed' ? `only named documents may be read from ${where}` : `no read access to ${where}`,
      );
    case 'keyed-read':
      if (grant.read === 'all') return ALLOW;
      if (grant.read === 'keyed' && req.docId !== undefined && grant.keyed!(req.docId)) return ALLOW;
      return deny(`no read access to ${req.docId === undefined ? where : `${req.docId} in ${where}`}`);
    case 'probe':
      // which revisions are missing tells whether a document exists: a read
      return grant.read === 'all' ? ALLOW : deny(`no read access to ${where}`);
    case 'write': {
      if (!grant.write) return deny(`no write access to ${where}`);
      const refusal = grant.write(req);
      return refusal === undefined ? ALLOW : deny(refusal);
    }
  }
}

// ---- people and devices management (used by user-admin and enrollment) ----

/** Whether `actor` may create or change an account that has (or will have) `targetRole`. */
export function mayManageUser(actor: PersonPrincipal, targetRole: Role, currentRole?: Role): boolean {
  if (actor.role === 'super-admin') return true;
  if (actor.role !== 'admin') return false;
  // Admins manage everyone below them, and cannot promote anyone to their level.
  return !isAdmin(targetRole) && (currentRole === undefined || !isAdmin(currentRole));
}

/** Enrollment codes and device revocation are admin work. */
export function mayManageDevices(actor: PersonPrincipal): boolean {
  return isAdmin(actor.role);
}

/** A person may end their own sessions; account managers may end anyone's they manage. */
export function mayRevokeSessionsOf(actor: PersonPrincipal, targetUserId: string, targetRole: Role): boolean {
  return actor.userId === targetUserId || mayManageUser(actor, targetRole);
}

// ---- key rings and device keys for reviewers (GET keyrings, GET devices) ----

/**
 * Whether the server hands `p` the key ring of (`role`, `ownerId`) from the
 * directory: the ring their role holds. Rings are wrapped by the holder's
 * passphrase (Argon2id) and AEAD-bound to their public keys, so the server
 * serves only ciphertext, and a ring it swapped would not open.
 * Decided on the person's role and teams of the moment: assigning the HR or
 * manager role (or a team) delivers the ring at once, taking it away stops it.
 */
export function holdsKeyring(p: PersonPrincipal, role: string, ownerId: string): boolean {
  switch (role) {
    case 'organisation':
      return isAdmin(p.role);
    case 'hr':
      return p.role === 'hr';
    case 'team':
      return p.role === 'manager' && p.teams.includes(ownerId);
    case 'employee':
      return p.employeeId !== null && p.employeeId === ownerId;
    default:
      return false;
  }
}

/**
 * Whether `p` may see the enrolled devices (public keys, names) of an employee
 * in `subjectTeams`: the people they review. HR reviews everyone's attendance,
 * a manager their teams' people; without the device keys their records would
 * open unverified.
 */
export function mayViewDevicesOf(p: PersonPrincipal, subjectTeams: readonly string[]): boolean {
  if (isAdmin(p.role) || p.role === 'hr') return true;
  return p.role === 'manager' && subjectTeams.some((t) => p.teams.includes(t));
}
