/**
 * The organisation's productivity rule sets as this role may read them from
 * the directory (admins: all; managers: the organisation's and their teams'
 * by name, see the server's access rules), verified against the
 * organisation key. A set that does not verify is refused and listed, never
 * used: a forged set cannot make anyone's time unproductive.
 *
 * Admins check with their pinned organisation key; managers hold none and
 * check with the signer the profile pinned (as the schedule book does: the
 * first one seen, when exactly one is named; any other is refused after).
 * A manager's session does not know the organisation id (their key rings do
 * not name it), and the organisation's set is stored under it: managers list
 * that one id family (`productivity:organisation:`, the only listing the
 * server's access rules give them in the directory), take the set that
 * verifies, and so classify as admins and agents do: the organisation's
 * rules, overridden by their team's (read-only for them).
 * The last copy read is kept in the replica's meta, so classification works
 * offline; it is verified again on every read.
 */
import {
  PRODUCTIVITY_DOC_PREFIX,
  ruleSetDocId,
  verifyRuleSetDocument,
  type ProductivityRuleSet,
} from '@sealtime/shared';
import { isAdminError } from '../admin/admin-error.js';
import { DIRECTORY_DB } from '../admin/directory-docs.js';
import { trustedOrgSignKeys } from './org-signer-trust.js';
import type { CoreContext, Unlocked } from './unlocked-session.js';

type Raw = Record<string, unknown>;
const CACHE_META = 'productivity-docs';
/** Views rebuilt on every synced record must not ask the server each time. */
const FRESH_MS = 15_000;

export interface RuleBookData {
  orgId: string;
  /** verified sets by document id */
  sets: Map<string, ProductivityRuleSet>;
  refused: Array<{ id: string; reason: string }>;
  readFrom: 'server' | 'cache';
  /** team ids the directory names (admins), for the editor's choices */
  teams: string[];
}

const memo = new WeakMap<Unlocked, { at: number; book: RuleBookData }>();
const ORG_SETS = `${PRODUCTIVITY_DOC_PREFIX}organisation:`;

function bodyOf(wire: Raw): Raw {
  const { _id: _i, _rev: _r, _revisions: _v, ...body } = wire;
  return body;
}

async function fromServer(u: Unlocked): Promise<{ docs: Record<string, Raw>; teams: string[] }> {
  const docs: Record<string, Raw> = {};
  if (u.keys.scope.keyRole === 'organisation') {
    const teams: string[] = [];
    for (const wire of await u.client.allDocs<Raw>(DIRECTORY_DB)) {
      if (wire._id.startsWith(PRODUCTIVITY_DOC_PREFIX)) docs[wire._id] = bodyOf(wire);
      else if (wire._id.startsWith('team:')) teams.push(wire._id.slice('team:'.length));
    }
    return { docs, teams: teams.sort() };
  }
  if (!u.keys.orgId) {
    const p = JSON.stringify(ORG_SETS);
    const listed = await u.client.request<{ rows: Array<{ id?: string; doc?: Raw | null }> }>(
      'GET',
      `/${DIRECTORY_DB}/_all_docs?include_docs=true&startkey=${encodeURIComponent(p)}&endkey=${encodeURIComponent(JSON.stringify(`${ORG_SETS}\ufff0`))}`,
    );
    for (const row of listed.rows) if (row.doc && row.id?.startsWith(ORG_SETS)) docs[row.id] = bodyOf(row.doc);
  }
  const ids = [
    ...(u.keys.orgId ? [ruleSetDocId({ level: 'organisation', id: u.keys.orgId })] : []),
    ...u.keys.scope.teams.map((t) => ruleSetDocId({ level: 'team', id: t })),
  ];
  if (ids.length > 0) {
    const r = await u.client.request<{ rows: Array<{ id?: string; doc?: Raw | null }> }>(
      'POST',
      `/${DIRECTORY_DB}/_all_docs?include_docs=true`,
      { keys: ids },
    );
    for (const row of r.rows)
      if (row.doc && row.id?.startsWith(PRODUCTIVITY_DOC_PREFIX)) docs[row.id] = bodyOf(row.doc);
  }
  return { docs, teams: [...u.keys.scope.teams].sort() };
}

/** Reads (or reuses for a few seconds) the verified rule sets; `fresh` skips the reuse. */
export async function loadRuleBook(ctx: CoreContext, fresh = false): Promise<RuleBookData> {
  const u = ctx.need();
  const hit = memo.get(u);
  if (!fresh && hit && ctx.now() - hit.at < FRESH_MS) return hit.book;
  const cached = (await u.store.getMeta<{ docs: Record<string, Raw>; teams: string[] }>(CACHE_META)) ?? {
    docs: {},
    teams: [],
  };
  let read = cached;
  let readFrom: RuleBookData['readFrom'] = 'server';
  try {
    read = await fromServer(u);
    await u.store.putMeta(CACHE_META, read);
  } catch (err) {
    // offline: the copy kept here (verified below) stands in
    if (!isAdminError(err, 'unreachable') && !isAdminError(err, 'server')) throw err;
    readFrom = 'cache';
  }
  const trusted = await trustedOrgSignKeys(ctx, u, Object.values(read.docs));
  const book: RuleBookData = { orgId: u.keys.orgId, sets: new Map(), refused: [], readFrom, teams: read.teams };
  for (const [id, doc] of Object.entries(read.docs)) {
    const v = verifyRuleSetDocument(id, doc, trusted);
    if (v.ok) book.sets.set(id, v.value);
    else book.refused.push({ id, reason: v.error.message });
  }
  if (!book.orgId) {
    // a manager: the organisation is the one whose set verified (two would be a server's trick: use neither)
    const orgs = [...book.sets.values()].filter((s) => s.level === 'organisation');
    if (orgs.length === 1) book.orgId = orgs[0]!.id;
    else
      for (const s of orgs) {
        book.sets.delete(ruleSetDocId(s));
        book.refused.push({ id: ruleSetDocId(s), reason: 'several organisation rule sets verify: none is used' });
      }
  }
  memo.set(u, { at: ctx.now(), book });
  return book;
}

/** A set was just published here: the next read goes to the server. */
export function forgetRuleBook(u: Unlocked): void {
  memo.delete(u);
}
