/**
 * The organisation's signed projects as the directory holds them
 * (`project:<id>`), verified against the organisation key: one that fails
 * is refused and listed, never used, so the server cannot rename a project,
 * move it to another team or reassign its tasks.
 *
 * The signed documents (not their verdicts) are kept in the replica's meta,
 * so the report keeps its projects offline; they are verified again on every
 * read. Versions this admin signed while the server was away wait in the
 * outbox and, meanwhile, count here as the newest.
 */
import {
  PROJECT_DOC_PREFIX,
  verifyProjectDocument,
  type ProjectName,
  type ProjectSigners,
  type ProjectVersion,
} from '@sealtime/shared';
import { isAdminError } from '../admin/admin-error.js';
import { DIRECTORY_DB } from '../admin/directory-docs.js';
import { apiError } from './core-errors.js';
import type { CoreContext, Unlocked } from './unlocked-session.js';

type Raw = Record<string, unknown>;
const CACHE_META = 'project-docs';

interface CachedDocs {
  docs: Record<string, Raw>;
  pending: Record<string, { actionIds: string[]; doc: Raw }>;
}

export interface ProjectBookData {
  projects: Map<string, ProjectVersion & { waiting: boolean }>;
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

/** Who may have signed: the organisation key (the admin's pinned one). */
export function projectSignersOf(u: Unlocked): ProjectSigners {
  if (!u.keys.orgSignPublicKey)
    throw apiError('forbidden', 'projects are read with the organisation key, which this role does not hold');
  return { organisation: [u.keys.orgSignPublicKey], teams: {} };
}

export async function loadProjectBook(ctx: CoreContext, fresh = true): Promise<ProjectBookData> {
  const u = ctx.need();
  const hit = memo.get(u);
  if (!fresh && hit && ctx.now() - hit.at < FRESH_MS) return hit.book;
  const signers = projectSignersOf(u);
  const cached = (await u.store.getMeta<CachedDocs>(CACHE_META)) ?? { docs: {}, pending: {} };
  let docs = cached.docs;
  let readFrom: ProjectBookData['readFrom'] = 'server';
  try {
    docs = {};
    for (const wire of await u.client.allDocs<Raw>(DIRECTORY_DB))
      if (wire._id.startsWith(PROJECT_DOC_PREFIX)) docs[wire._id] = bodyOf(wire);
  } catch (err) {
    // offline, or the server failed mid-read: the copy kept here (verified below) stands in
    if (!isAdminError(err, 'unreachable') && !isAdminError(err, 'server')) throw err;
    docs = cached.docs;
    readFrom = 'cache';
  }
  const pending: CachedDocs['pending'] = {};
  for (const [id, p] of Object.entries(cached.pending)) {
    const left = [];
    for (const a of p.actionIds) if (await u.outbox.has(a)) left.push(a);
    if (left.length > 0) pending[id] = { ...p, actionIds: left }; // else delivered or discarded: the server's copy rules
  }
  await u.store.putMeta(CACHE_META, { docs, pending } satisfies CachedDocs);

  const book: ProjectBookData = { projects: new Map(), refused: [], readFrom };
  for (const id of new Set([...Object.keys(docs), ...Object.keys(pending)])) {
    const p = pending[id]?.doc;
    const waiting = p !== undefined && issuedAtOf(p) > issuedAtOf(docs[id]);
    const doc = waiting ? p : docs[id];
    const v = verifyProjectDocument(id, doc, signers);
    if (v.ok) book.projects.set(v.value.project.id, { project: v.value.project, issuedAt: v.value.issuedAt, waiting });
    else book.refused.push({ id, reason: v.error.message });
  }
  memo.set(u, { at: ctx.now(), book });
  return book;
}

/** Names and colours for the timeline; none for a role that holds no organisation key (it shows ids). */
export async function projectNames(ctx: CoreContext): Promise<ProjectName[]> {
  if (!ctx.need().keys.orgSignPublicKey) return [];
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
