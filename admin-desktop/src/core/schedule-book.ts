/**
 * The organisation's signed work schedules and holiday list, as this role may
 * read them from the directory (admins: all of it; HR and managers: by name,
 * see the server's access rules), verified against the organisation key. A
 * document that does not verify is refused and listed, never used: a forged
 * or tampered schedule cannot make anyone late.
 *
 * Which key: an admin's pinned organisation key. HR and managers hold none,
 * so they pin the signer the first verifying document names (trust on first
 * use, kept in the profile as an admin's pin is) and refuse any other after.
 *
 * The signed documents (not their verdicts) are kept in the replica's meta,
 * so attendance keeps its schedules offline; they are verified again on
 * every read. Documents this admin signed while the server was away wait in
 * the outbox and, meanwhile, count here as the newest.
 */
import {
  HOLIDAYS_DOC_PREFIX,
  SCHEDULE_DOC_PREFIX,
  parseDbName,
  holidaysDocId,
  scheduleDocId,
  verifyDocument,
  verifyHolidaysDocument,
  verifyScheduleDocument,
  type HolidayList,
  type ScheduleLayer,
} from '@sealtime/shared';
import { isAdminError } from '../admin/admin-error.js';
import { DIRECTORY_DB } from '../admin/directory-docs.js';
import { trustedOrgSignKeys } from './org-signer-trust.js';
import type { CoreContext, Unlocked } from './unlocked-session.js';

type Raw = Record<string, unknown>;
const CACHE_META = 'schedule-docs';
/** A sheet rebuilt on every synced record must not ask the server each time. */
const FRESH_MS = 15_000;
/** The gateway's keyed reads take a bounded number of ids a request. */
const KEYS_PER_READ = 200;

interface CachedDocs {
  /** the last copy read from the server, by id (schedules, holidays, employee entries) */
  docs: Record<string, Raw>;
  /** signed here, waiting in the outbox: action id and document, by doc id */
  pending: Record<string, { actionId: string; doc: Raw }>;
}

export interface ScheduleBookData {
  orgId: string;
  layers: Map<string, ScheduleLayer>;
  holidays: HolidayList | null;
  /** employee → team, from the signed directory entries (admins and HR) */
  teamOf: Map<string, string | null>;
  refused: Array<{ id: string; reason: string }>;
  /** doc ids signed here and still in the outbox */
  waiting: Set<string>;
  readFrom: 'server' | 'cache';
  /** team ids the directory names, for the editor's choices */
  teams: string[];
}

const memo = new WeakMap<Unlocked, { at: number; people: string; book: ScheduleBookData }>();
// HR and managers ask for documents by person: a new person (first sync) must not wait out the reuse
const peopleKey = (u: Unlocked): string => u.people.map((p) => `${p.employeeId}:${p.teamId ?? ''}`).join(',');

const isBookId = (id: string): boolean =>
  id.startsWith(SCHEDULE_DOC_PREFIX) ||
  id.startsWith(HOLIDAYS_DOC_PREFIX) ||
  id.startsWith('employee:') ||
  id.startsWith('team:');
const isAdminRole = (u: Unlocked): boolean => u.keys.scope.keyRole === 'organisation';

function bodyOf(wire: Raw): Raw {
  const { _id: _i, _rev: _r, _revisions: _v, ...body } = wire;
  return body;
}

async function keyedRead(u: Unlocked, ids: readonly string[], into: Record<string, Raw>): Promise<void> {
  for (let i = 0; i < ids.length; i += KEYS_PER_READ) {
    const r = await u.client.request<{ rows: Array<{ id?: string; doc?: Raw | null }> }>(
      'POST',
      `/${DIRECTORY_DB}/_all_docs?include_docs=true`,
      { keys: ids.slice(i, i + KEYS_PER_READ) },
    );
    for (const row of r.rows) if (row.doc && row.id && isBookId(row.id)) into[row.id] = bodyOf(row.doc);
  }
}

/**
 * Admins list the directory. HR and managers name what they need: the
 * holidays and the organisation's schedule, each person's schedule (and, for
 * HR, directory entry), then the schedules of the teams those entries name
 * (a manager: of their own teams).
 */
async function fromServer(u: Unlocked): Promise<Record<string, Raw>> {
  const docs: Record<string, Raw> = {};
  if (isAdminRole(u)) {
    for (const wire of await u.client.allDocs<Raw>(DIRECTORY_DB)) if (isBookId(wire._id)) docs[wire._id] = bodyOf(wire);
    return docs;
  }
  const hr = u.keys.scope.role === 'hr';
  const first = [
    ...(u.keys.orgId ? [holidaysDocId(u.keys.orgId), scheduleDocId({ level: 'organisation', id: u.keys.orgId })] : []),
    ...u.people.flatMap((p) => [
      scheduleDocId({ level: 'employee', id: p.employeeId }),
      ...(hr ? [`employee:${p.employeeId}`] : []),
    ]),
  ];
  await keyedRead(u, first, docs);
  const teams = new Set(
    hr
      ? Object.entries(docs).flatMap(([id, d]) =>
          id.startsWith('employee:') && typeof d.teamId === 'string' ? [d.teamId] : [],
        )
      : u.keys.scope.teams,
  );
  await keyedRead(
    u,
    [...teams].map((t) => scheduleDocId({ level: 'team', id: t })),
    docs,
  );
  return docs;
}

const issuedAtOf = (d: Raw | undefined): number => (d && typeof d.issuedAt === 'number' ? d.issuedAt : -1);

/** Reads (or reuses for a few seconds) the verified schedules; `fresh` skips the reuse. */
export async function loadScheduleBook(ctx: CoreContext, fresh = false): Promise<ScheduleBookData> {
  const u = ctx.need();
  const hit = memo.get(u);
  if (!fresh && hit && ctx.now() - hit.at < FRESH_MS && hit.people === peopleKey(u)) return hit.book;
  const cached = (await u.store.getMeta<CachedDocs>(CACHE_META)) ?? { docs: {}, pending: {} };
  let docs = cached.docs;
  let readFrom: ScheduleBookData['readFrom'] = 'server';
  try {
    docs = await fromServer(u);
  } catch (err) {
    // offline, or the server failed mid-read: the copy kept here (verified below) stands in
    if (!isAdminError(err, 'unreachable') && !isAdminError(err, 'server')) throw err;
    readFrom = 'cache';
  }
  const pending: CachedDocs['pending'] = {};
  for (const [id, p] of Object.entries(cached.pending)) if (await u.outbox.has(p.actionId)) pending[id] = p; // else delivered or discarded: the server's copy rules
  if (readFrom === 'server' || Object.keys(pending).length !== Object.keys(cached.pending).length)
    await u.store.putMeta(CACHE_META, { docs, pending } satisfies CachedDocs);

  const chosen = new Map<string, Raw>();
  for (const id of new Set([...Object.keys(docs), ...Object.keys(pending)])) {
    const p = pending[id]?.doc;
    chosen.set(id, p && issuedAtOf(p) > issuedAtOf(docs[id]) ? p : docs[id]!);
  }
  const trusted = await trustedOrgSignKeys(
    ctx,
    u,
    [...chosen].filter(([id]) => !id.startsWith('employee:') && !id.startsWith('team:')).map(([, d]) => d),
  );
  const book: ScheduleBookData = {
    orgId: u.keys.orgId,
    layers: new Map(),
    holidays: null,
    teamOf: new Map(),
    refused: [],
    waiting: new Set(Object.keys(pending)),
    readFrom,
    teams: [],
  };
  for (const [id, doc] of chosen) {
    if (id.startsWith('team:')) {
      book.teams.push(id.slice('team:'.length));
    } else if (id.startsWith('employee:')) {
      // an entry that does not verify says nothing about a team: the person gets no team schedule
      if (verifyDocument(doc, trusted).ok && typeof doc.employeeId === 'string')
        book.teamOf.set(doc.employeeId, typeof doc.teamId === 'string' ? doc.teamId : null);
    } else if (id.startsWith(HOLIDAYS_DOC_PREFIX)) {
      const v = verifyHolidaysDocument(id, doc, trusted);
      if (!v.ok) book.refused.push({ id, reason: v.error.message });
      else if (v.value.orgId === u.keys.orgId || !u.keys.orgId) book.holidays = v.value;
    } else {
      const v = verifyScheduleDocument(id, doc, trusted);
      if (v.ok) book.layers.set(id, v.value);
      else book.refused.push({ id, reason: v.error.message });
    }
  }
  for (const p of u.people) if (p.teamId && !book.teamOf.has(p.employeeId)) book.teamOf.set(p.employeeId, p.teamId);
  if (u.keys.scope.keyRole === 'team') await teamsFromReplica(u, book.teamOf);
  book.teams = [...new Set([...book.teams, ...[...book.teamOf.values()].flatMap((t) => (t ? [t] : []))])].sort();
  memo.set(u, { at: ctx.now(), people: peopleKey(u), book });
  return book;
}

/**
 * A manager reads no directory entries, but each of their people's records
 * came from one team's database (st-team-<id>-records), which the server
 * serves only for that person's team: that names the team schedule to apply.
 */
async function teamsFromReplica(u: Unlocked, teamOf: Map<string, string | null>): Promise<void> {
  for (const p of u.people) {
    if (teamOf.get(p.employeeId)) continue;
    const row = await u.store.db.replica.findOne({ selector: { employeeId: p.employeeId } }).exec();
    const db = row ? parseDbName(row.source) : null;
    if (db?.kind === 'team-records' && u.keys.scope.teams.includes(db.teamId)) teamOf.set(p.employeeId, db.teamId);
  }
}

/** Notes a document signed here and queued, so reads count it before the server has it. */
export async function notePending(ctx: CoreContext, docId: string, actionId: string, doc: Raw): Promise<void> {
  const u = ctx.need();
  const cached = (await u.store.getMeta<CachedDocs>(CACHE_META)) ?? { docs: {}, pending: {} };
  cached.pending[docId] = { actionId, doc };
  await u.store.putMeta(CACHE_META, cached);
  memo.delete(u);
}
