/**
 * Unlocking a reviewer: which databases the role reads, and the role's key
 * ring opened with the passphrase. Works offline after one online unlock:
 * the role (from /me) and the *wrapped* key ring are kept in the replica's
 * meta collection — wrapped secrets only, exactly as the directory holds them.
 *
 *   admin / super-admin   st-org-records           organisation ring (verified directory)
 *   manager               st-team-<t>-records …    the team ring(s), delivered by the server
 *   hr                    st-hr-attendance         the HR ring, delivered by the server
 *
 * HR and managers may not read the directory: the server hands each person
 * the rings their role holds (GET keyrings), wrapped by the role passphrase,
 * so they unlock on any machine with password and passphrase alone. A ring
 * file (`keyringFile`, from `sealtime-admin keyring export`) still wins when
 * given, for older set-ups.
 */
import { readFile } from 'node:fs/promises';
import {
  EnvelopeOpener,
  openerKeys,
  validateKeyringDoc,
  type KeyringDoc,
  type KeyRole,
  type UnlockedKeyring,
} from '@sealtime/shared';
import { AdminError, isAdminError } from '../admin/admin-error.js';
import type { KeyCustody } from '../admin/key-custody.js';
import { unlockRing } from '../admin/key-custody.js';
import type { ServerClient } from '../admin/node/server-client.js';
import { apiError } from './core-errors.js';
import type { ReplicaStore } from './replica-store.js';

export interface ReviewerScope {
  role: string;
  userId: string;
  teams: string[];
  keyRole: KeyRole;
  sources: string[];
}

export interface ReviewerKeys {
  scope: ReviewerScope;
  orgId: string;
  /** The org signing key the directory is verified with (admins only). */
  orgSignPublicKey: Uint8Array | null;
  rings: UnlockedKeyring[];
  opener: EnvelopeOpener;
}

const offline = (err: unknown) => isAdminError(err, 'unreachable');

export function scopeForRole(role: string, userId: string, teams: readonly string[]): ReviewerScope {
  if (role === 'admin' || role === 'super-admin')
    return { role, userId, teams: [...teams], keyRole: 'organisation', sources: ['st-org-records'] };
  if (role === 'hr') return { role, userId, teams: [...teams], keyRole: 'hr', sources: ['st-hr-attendance'] };
  if (role === 'manager')
    return { role, userId, teams: [...teams], keyRole: 'team', sources: teams.map((t) => `st-team-${t}-records`) };
  throw apiError('forbidden', `a ${role || 'device'} account reads no consolidated database`);
}

/** The role and teams, from the server when it answers, else from the last online unlock. */
export async function currentScope(client: ServerClient, store: ReplicaStore): Promise<ReviewerScope> {
  try {
    const me = await client.me();
    const scope = scopeForRole(me.role ?? '', me.userId ?? '', me.teams ?? []);
    await store.putMeta('me', { role: scope.role, userId: scope.userId, teams: scope.teams });
    return scope;
  } catch (err) {
    if (!offline(err)) throw err;
    const cached = await store.getMeta<{ role: string; userId: string; teams: string[] }>('me');
    if (!cached)
      throw apiError(
        'server-unreachable',
        'the server does not answer and this computer has never unlocked this profile online',
      );
    return scopeForRole(cached.role, cached.userId, cached.teams);
  }
}

async function ringsFromFile(file: string, keyRole: KeyRole): Promise<KeyringDoc[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch (err) {
    throw apiError('invalid-input', `cannot read the key ring ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((r) => {
    const v = validateKeyringDoc(r);
    if (!v.ok) throw apiError('integrity', `${file} is not a valid key ring: ${v.error.message}`);
    if (v.value.role !== keyRole)
      throw apiError('invalid-input', `${file} holds a ${v.value.role} key ring; this role needs the ${keyRole} one`);
    return v.value;
  });
}

/** The rings of the scope's role the server delivers: the HR ring, or one ring per managed team. */
async function deliveredRings(custody: KeyCustody, scope: ReviewerScope): Promise<KeyringDoc[]> {
  const docs = (await custody.deliveredRings(scope.keyRole)).filter(
    (d) => scope.keyRole !== 'team' || scope.teams.includes(d.ownerId),
  );
  const missing =
    scope.keyRole === 'team'
      ? scope.teams.filter((t) => !docs.some((d) => d.ownerId === t))
      : docs.length === 0
        ? ['the organisation']
        : [];
  if (missing.length > 0) {
    const what = scope.keyRole === 'team' ? `key ring of team ${missing.join(', ')}` : 'HR key ring';
    throw apiError(
      'not-found',
      `the server holds no ${what} for your account: ask an admin to create it (sealtime-admin ${scope.keyRole === 'team' ? 'team create' : 'org init'})`,
    );
  }
  return docs;
}

export async function unlockReviewer(
  deps: { client: ServerClient; custody: KeyCustody; store: ReplicaStore },
  passphrase: string,
  keyringFile?: string,
): Promise<ReviewerKeys> {
  const scope = await currentScope(deps.client, deps.store);
  let docs: KeyringDoc[];
  let orgId = '';
  let orgSignPublicKey: Uint8Array | null = null;
  if (scope.keyRole === 'organisation') {
    try {
      const org = await deps.custody.orgRing(); // checked against the fingerprint pinned in the profile
      docs = [org.doc];
      await deps.store.putMeta('rings', {
        orgId: org.orgId,
        docs,
        orgSignPublicKey: Buffer.from(org.signPublicKey).toString('base64'),
      });
    } catch (err) {
      if (!offline(err)) throw err;
      const cached = await deps.store.getMeta<{ orgId: string; docs: KeyringDoc[]; orgSignPublicKey: string }>('rings');
      if (!cached)
        throw apiError(
          'server-unreachable',
          'the server does not answer and no key ring was kept from an earlier unlock',
        );
      docs = cached.docs;
    }
    const kept = await deps.store.getMeta<{ orgId: string; orgSignPublicKey: string }>('rings');
    orgId = kept?.orgId ?? '';
    orgSignPublicKey = kept ? new Uint8Array(Buffer.from(kept.orgSignPublicKey, 'base64')) : null;
  } else if (keyringFile) {
    docs = await ringsFromFile(keyringFile, scope.keyRole);
    await deps.store.putMeta('rings', { orgId: '', docs });
  } else {
    try {
      docs = await deliveredRings(deps.custody, scope);
      await deps.store.putMeta('rings', { orgId: '', docs });
    } catch (err) {
      if (!offline(err)) throw err;
      const cached = await deps.store.getMeta<{ docs: KeyringDoc[] }>('rings');
      if (!cached)
        throw apiError(
          'server-unreachable',
          'the server does not answer and no key ring was kept from an earlier unlock',
        );
      docs = cached.docs;
    }
  }
  if (scope.keyRole !== 'organisation') orgId = docs[0]?.role === 'hr' ? docs[0].ownerId : '';
  let rings: UnlockedKeyring[];
  try {
    rings = docs.map((d) => unlockRing(d, passphrase));
  } catch (err) {
    if (isAdminError(err, 'wrong-passphrase'))
      throw apiError(
        'wrong-passphrase',
        'wrong passphrase: the key ring did not open. Check the passphrase (it is not the sign-in password) and try again.',
      );
    throw err instanceof AdminError ? err : apiError('internal', 'the key ring could not be opened');
  }
  return { scope, orgId, orgSignPublicKey, rings, opener: new EnvelopeOpener(rings.flatMap(openerKeys)) };
}
