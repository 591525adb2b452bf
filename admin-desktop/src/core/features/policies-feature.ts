/**
 * The policy editor (admins only: the directory and the inboxes are theirs
 * alone on the server, and only the organisation key signs a layer). Layers
 * are read from the directory on each request; `publishPolicyLayer` is the
 * one step that signs and sends, so it can be routed through the outbox.
 */
import { createPolicyDocument, createWithdrawalDocument, policyDocId, type PolicyLayer } from '@sealtime/shared';
import type { PolicyPublishResult, PolicyScope, PolicyTargets } from '../../api/admin-api.js';
import type { PoliciesRequests, PoliciesSubscriptions } from '../../api/contracts/policies-contract.js';
import { isAdminError } from '../../admin/admin-error.js';
import { activeKeys, KeyCustody } from '../../admin/key-custody.js';
import { publishPolicyDoc, targets } from '../../admin/policy-publishing.js';
import { apiError } from '../core-errors.js';
import { lastIssuedAt, readPolicyDirectory, scopeChain, type PolicyDirectory } from '../policy-directory.js';
import { applyEdit, buildScopeView, diffEdit } from '../policy-scope-view.js';
import type { CoreContext, Unlocked } from '../unlocked-session.js';
import type { Feature } from './feature.js';

interface AdminSession {
  u: Unlocked;
  orgKey: Uint8Array;
}

function admin(ctx: CoreContext): AdminSession {
  const u = ctx.need();
  if (u.keys.scope.keyRole !== 'organisation' || !u.keys.orgSignPublicKey) {
    throw apiError(
      'forbidden',
      `only admins edit policies: a ${u.keys.scope.role} account can neither read the organisation's layers nor sign one`,
    );
  }
  return { u, orgKey: u.keys.orgSignPublicKey };
}

/** Network failures say what the screen needs: the layers live on the server. */
async function online<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (isAdminError(err, 'unreachable'))
      throw apiError(
        'server-unreachable',
        `${err.message}. Policies are read from and published to the server: try again when it answers.`,
      );
    throw err;
  }
}

const directory = (a: AdminSession): Promise<PolicyDirectory> =>
  online(() => readPolicyDirectory(a.u.client, a.orgKey));

/** What publishing sends: a layer, or the withdrawal of the one in force. */
export type PolicyPublication = { layer: PolicyLayer } | { withdraw: PolicyScope };

/** A signed policy document, ready to send (or to hold in an outbox until the server answers). */
export interface SignedPolicy {
  scope: PolicyScope;
  docId: string;
  issuedAt: number;
  doc: object;
}

/**
 * Signs a layer (or a withdrawal) with the organisation key, offline.
 * `previousIssuedAt` is the newest signed time at that scope: devices refuse
 * anything not newer, so the new document is stamped after it.
 */
export function signPolicyPublication(
  ctx: CoreContext,
  publication: PolicyPublication,
  previousIssuedAt: number | null,
): SignedPolicy {
  const { u } = admin(ctx);
  const scope: PolicyScope =
    'layer' in publication ? { level: publication.layer.level, id: publication.layer.id } : publication.withdraw;
  const docId = policyDocId(scope);
  const issuedAt = Math.max(ctx.now(), (previousIssuedAt ?? -1) + 1);
  const keys = activeKeys(u.keys.rings[0]!);
  const doc =
    'layer' in publication
      ? createPolicyDocument(publication.layer, issuedAt, keys)
      : createWithdrawalDocument(docId, issuedAt, keys);
  if (!doc.ok)
    throw apiError('invalid-input', `cannot sign the ${scope.level} policy ${scope.id}: ${doc.error.message}`);
  return { scope, docId, issuedAt, doc: doc.value };
}

/** Sends a signed policy document to the directory and the inbox of every employee it reaches. */
export async function sendSignedPolicy(ctx: CoreContext, signed: SignedPolicy): Promise<PolicyPublishResult> {
  const { u, orgKey } = admin(ctx);
  const deps = { client: u.client, custody: new KeyCustody(u.client, ctx.profile) };
  const sent = await online(async () =>
    publishPolicyDoc(
      deps,
      await targets(deps, signed.scope.level, signed.scope.id, orgKey),
      signed.docId,
      signed.issuedAt,
      signed.doc,
    ),
  );
  return { status: 'sent', issuedAt: signed.issuedAt, ...sent };
}

/** Signs at once, then sends: the one step publish and withdraw go through (an outbox can hold the signed document between the two). */
export async function publishPolicyLayer(
  ctx: CoreContext,
  publication: PolicyPublication,
  previousIssuedAt: number | null,
): Promise<PolicyPublishResult> {
  return sendSignedPolicy(ctx, signPolicyPublication(ctx, publication, previousIssuedAt));
}

export const policiesFeature: Feature<keyof PoliciesRequests, keyof PoliciesSubscriptions> = {
  requests: {
    policyTargets: async (_p, ctx) => {
      const a = admin(ctx);
      const dir = await directory(a);
      return {
        orgId: a.u.keys.orgId,
        teams: dir.teams,
        employees: dir.employees.map((e) => ({ employeeId: e.employeeId, teamId: e.teamId })),
        devices: dir.devices.map((d) => ({
          deviceId: d.deviceId,
          employeeId: d.employeeId,
          name: d.name ?? null,
          revoked: d.revokedAt !== null,
        })),
        layers: [...dir.layers.values()].map((l) => ({ level: l.layer.level, id: l.layer.id, issuedAt: l.issuedAt })),
        refused: dir.refused,
      } satisfies PolicyTargets;
    },
    policyScope: async ({ scope }, ctx) => {
      const a = admin(ctx);
      const { chain, reaches } = scopeChain(await directory(a), a.u.keys.orgId, scope);
      return buildScopeView(chain, reaches);
    },
    previewPolicy: async (edit, ctx) => {
      const a = admin(ctx);
      const { chain, reaches } = scopeChain(await directory(a), a.u.keys.orgId, edit.scope);
      const { layer, errors } = applyEdit(chain[chain.length - 1]!.layer, edit);
      return { changes: layer ? diffEdit(chain, layer) : [], errors, reaches };
    },
    publishPolicy: async (edit, ctx) => {
      const a = admin(ctx);
      const dir = await directory(a);
      const { chain } = scopeChain(dir, a.u.keys.orgId, edit.scope);
      const { layer, errors } = applyEdit(chain[chain.length - 1]!.layer, edit);
      if (!layer) throw apiError('invalid-input', `nothing was published: ${errors.map((e) => e.message).join('; ')}`);
      return publishPolicyLayer(ctx, { layer }, lastIssuedAt(dir, edit.scope));
    },
    withdrawPolicy: async ({ scope }, ctx) => {
      const a = admin(ctx);
      const dir = await directory(a);
      const { chain } = scopeChain(dir, a.u.keys.orgId, scope);
      if (!chain[chain.length - 1]!.layer)
        throw apiError('not-found', `no ${scope.level} policy ${scope.id} is in force: nothing to withdraw`);
      return publishPolicyLayer(ctx, { withdraw: scope }, lastIssuedAt(dir, scope));
    },
  },
  subscriptions: {},
};
