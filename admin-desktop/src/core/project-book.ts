/**
 * The organisation's signed projects as the directory holds them
 * (`project:<id>`), verified against the keys allowed to sign them: the
 * organisation key (any project) and a team's key (a project of that team
 * alone: its managers'). One that fails is refused and listed, never used,
 * so the server cannot rename a project, move it to another team or
 * reassign its tasks.
 *
 * Admins read the whole directory and take the team keys from the team key
 * rings there (signed by the organisation key, checked here), so they see
 * and may edit managers' projects. Managers list the `project:` family (the
 * server lets them) and trust the organisation's signer as the schedule book
 * does (pinned) plus the keys of the team rings they hold: they see every
 * project, and the ones of other teams' managers only if the organisation
 * signed them.
 *
 * The signed documents (not their verdicts) are kept in the replica's meta,
 * so the report keeps its projects offline; they are verified again on every
 * read. Versions this admin signed while the server was away wait in the
 * outbox and, meanwhile, count here as the newest.
 */
import {
  PROJECT_DOC_PREFIX,
  fingerprint,
  fromBase64,
  namedSigner,
  verifyDocument,
  verifyProjectDocument,
  type ProjectName,
  type ProjectSignerRole,
  type ProjectSigners,
  type ProjectVersion,
} from '@sealtime/shared';
import { isAdminError } from '../admin/admin-error.js';
import { DIRECTORY_DB } from '../admin/directory-docs.js';
import { trustedOrgSignKeys } from './org-signer-trust.js';
import type { CoreContext, Unlocked } from './unlocked-session.js';

type Raw = Record<string, unknown>;
const CACHE_META = 'project-docs';

interface CachedDocs {
  docs: Record<string, Raw>;
  pending: Record<string, { actionIds: string[]; doc: Raw }>;
  /** admins: the team key rings as the directory held them (verified again on use) */
  rings?: Record<string, Raw>;
}

export interface ProjectBookData {
  projects: Map<string, ProjectVersion & { waiting: boolean; signer: ProjectSignerRole }>;
  refused: Array<{ id: string; reason: string }>;
  readFrom: 'server' | 'cache';
}

/** The timeline asks on every rebuild: the server is read at most every few seconds. */
const FRESH_MS = 15_000;
const memo = new WeakMap<Unlocked, { at: number; book: ProjectBookData }>();

const issuedAtOf = (d: Raw | undefined): number => (typeof d?.issuedAt === 'number' ? d.issuedAt : -1);

function bodyOf(wire: Raw): Raw {
  const { _id: _i, _rev: _r, _revisions: _v, ...body } = wire;
  return body;
}

const TEAM_RING_PREFIX = 'keyring:team:';

/** The signing keys of a team ring's generations that may have signed (not revoked). */
function ringSignKeys(ring: Raw): Uint8Array[] {
  const gens = Array.isArray(ring.generations) ? (ring.generations as Raw[]) : [];
  return gens.flatMap((g) => {
    if (g.status === 'revoked') return [];
    const k = fromBase64(g.signPublicKey, 32);
    return k.ok && k.value.length === 32 ? [k.value] : [];
  });
}

/**
 * Who may have signed. Admins: the organisation key, and each team's keys
 * from its ring in the directory when the organisation signed that ring.
 * Managers: the organisation's signer they pinned, and the team rings they hold.
 */
export async function projectSignersOf(
  ctx: CoreContext,
  u: Unlocked,
  docs: readonly Raw[],
  rings: Readonly<Record<string, Raw>>,
): Promise<ProjectSigners> {
  const teams: Record<string, Uint8Array[]> = {};
  if (u.keys.orgSignPublicKey) {
    const org = u.keys.orgSignPublicKey;
    for (const [id, ring] of Object.entries(rings)) {
      const teamId = id.slice(TEAM_RING_PREFIX.length);
      if (ring.role !== 'team' || ring.ownerId !== teamId || !verifyDocument(ring, [org]).ok) continue; // forged: no say
      teams[teamId] = ringSignKeys(ring);
    }
    return { organisation: [org], teams };
  }
  for (const r of u.keys.rings)
    if (r.doc.role === 'team') teams[r.doc.ownerId] = [...r.keys.values()].map((k) => k.signPublicKey);
  const own = new Set(Object.values(teams).flatMap((ks) => ks.map((k) => fingerprint(k))));
  // the organisation's signer is pinned from the documents it signed, not from the team keys' own
  const orgDocs = docs.filter((d) => {
    const k = namedSigner(d);
    return !k || !own.has(fingerprint(k));
  });
  return { organisation: await trustedOrgSignKeys(ctx, u, orgDocs), teams };
}

/** A manager's listing of the `project:` family (the one they may list in the directory). */
async function listedProjects(u: Unlocked): Promise<Raw[]> {
  const start = encodeURIComponent(JSON.stringify(PROJECT_DOC_PREFIX));
  const end = encodeURIComponent(JSON.stringify(`${PROJECT_DOC_PREFIX}\ufff0`));
  const r = await u.client.request<{ rows: Array<{ id?: string; doc?: (Raw & { _id: string }) | null }> }>(
    'GET',
    `/${DIRECTORY_DB}/_all_docs?include_docs=true&startkey=${start}&endkey=${end}`,
  );
  return r.rows.flatMap((row) => (row.doc && row.id?.startsWith(PROJECT_DOC_PREFIX) ? [row.doc] : []));
}

export async function loadProjectBook(ctx: CoreContext, fresh = true): Promise<ProjectBookData> {
  const u = ctx.need();
  const hit = memo.get(u);
  if (!fresh && hit && ctx.now() - hit.at < FRESH_MS) return hit.book;
  const cached = (await u.store.getMeta<CachedDocs>(CACHE_META)) ?? { docs: {}, pending: {} };
  let docs = cached.docs;
  let rings = cached.rings ?? {};
  let readFrom: ProjectBookData['readFrom'] = 'server';
  try {
    docs = {};
    rings = {};
    const wires = u.keys.orgSignPublicKey
      ? await u.client.allDocs<Raw>(DIRECTORY_DB)
      : ((await listedProjects(u)) as Array<Raw & { _id: string }>);
    for (const wire of wires)
      if (wire._id.startsWith(PROJECT_DOC_PREFIX)) docs[wire._id] = bodyOf(wire);
      else if (wire._id.startsWith(TEAM_RING_PREFIX)) rings[wire._id] = bodyOf(wire);
  } catch (err) {
    // offline, or the server failed mid-read: the copy kept here (verified below) stands in
    if (!isAdminError(err, 'unreachable') && !isAdminError(err, 'server')) throw err;
    docs = cached.docs;
    rings = cached.rings ?? {};
    readFrom = 'cache';
  }
  const pending: CachedDocs['pending'] = {};
  for (const [id, p] of Object.entries(cached.pending)) {
    const left = [];
    for (const a of p.actionIds) if (await u.outbox.has(a)) left.push(a);
    if (left.length > 0) pending[id] = { ...p, actionIds: left }; // else delivered or discarded: the server's copy rules
  }
  await u.store.putMeta(CACHE_META, { docs, pending, rings } satisfies CachedDocs);
  const signers = await projectSignersOf(
    ctx,
    u,
    [...Object.values(docs), ...Object.values(pending).map((p) => p.doc)],
    rings,
  );

  const book: ProjectBookData = { projects: new Map(), refused: [], readFrom };
  for (const id of new Set([...Object.keys(docs), ...Object.keys(pending)])) {
    const p = pending[id]?.doc;
    const waiting = p !== undefined && issuedAtOf(p) > issuedAtOf(docs[id]);
    const doc = waiting ? p : docs[id];
    const v = verifyProjectDocument(id, doc, signers);
    if (v.ok)
      book.projects.set(v.value.project.id, {
        project: v.value.project,
        issuedAt: v.value.issuedAt,
        waiting,
        signer: v.value.signer,
      });
    else book.refused.push({ id, reason: v.error.message });
  }
  memo.set(u, { at: ctx.now(), book });
  return book;
}

/** Names and colours for the timeline (ids stand in when the book cannot be read). */
export async function projectNames(ctx: CoreContext): Promise<ProjectName[]> {
  try {
    return [...(await loadProjectBook(ctx, false)).projects.values()].map((v) => v.project);
  } catch {
    return []; // the timeline stands without names: slots still show the project ids
  }
}

/** Keeps a version signed here until the outbox delivered all of its writes. */
export async function noteProjectPending(
  ctx: CoreContext,
  docId: string,
  actionIds: string[],
  doc: Raw,
): Promise<void> {
  const u = ctx.need();
  const cached = (await u.store.getMeta<CachedDocs>(CACHE_META)) ?? { docs: {}, pending: {} };
  cached.pending[docId] = { actionIds, doc };
  await u.store.putMeta(CACHE_META, cached);
}
