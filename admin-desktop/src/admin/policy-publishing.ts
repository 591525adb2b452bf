/**
 * `policy set` and `policy show`. A layer is signed with the organisation key
 * and kept in the directory (`policy:<level>:<id>`, so later employees get the
 * organisation and team layers at enrollment) and in the inbox of every
 * employee it concerns: organisation → everyone the directory lists, team →
 * its members, employee → that one, device → the device's employee.
 *
 * `withdraw` replaces a layer with a signed withdrawal (directory and
 * inboxes): devices keep a layer that merely vanishes, so this is the only
 * way to take one away.
 *
 * `show` reads what a device would read — the layers in the employee's inbox
 * that verify under the organisation key and target them — and folds them
 * with resolvePolicy, naming the level that set each value.
 */
import {
  createPolicyDocument,
  createWithdrawalDocument,
  isWithdrawal,
  policyDocId,
  resolvePolicy,
  verifyPolicyDocument,
  type CapturePolicy,
  type IgnoredOverride,
  type PolicyDocument,
  type PolicyLayer,
} from '@sealtime/shared';
import { AdminError, isAdminError } from './admin-error.js';
import { checkId, DIRECTORY_DB, wireDoc } from './directory-docs.js';
import { publishToInbox, readInbox } from './inbox-publisher.js';
import type { Deps } from './people-setup.js';
import { employeeRecord, listEmployees } from './people-setup.js';
import { buildPolicyLayer } from './policy-layer-input.js';

export interface SetPolicyInput {
  level: string;
  id: string;
  set?: readonly string[];
  lock?: readonly string[];
  unlock?: readonly string[];
  /** Start from an empty layer instead of merging over the one in force. */
  replace?: boolean;
  orgPassphrase: string;
}

export interface SetPolicyResult {
  layer: PolicyLayer;
  docId: string;
  issuedAt: number;
  /** Employees whose inbox now holds the layer. */
  publishedTo: string[];
  /** Employees of the target whose inbox does not exist yet (no enrollment code so far). */
  notProvisioned: string[];
}

/** Employees a layer at this level and id reaches. */
export async function targets(deps: Deps, level: string, id: string, orgKey: Uint8Array): Promise<string[]> {
  switch (level) {
    case 'organisation':
      return (await listEmployees(deps.client, orgKey)).map((e) => e.employeeId);
    case 'team':
      return (await listEmployees(deps.client, orgKey)).filter((e) => e.teamId === id).map((e) => e.employeeId);
    case 'employee':
      if (!(await employeeRecord(deps.client, id, orgKey)))
        throw new AdminError('not-found', `employee ${id} is not in the directory`);
      return [id];
    case 'device':
      return [(await deps.client.device(id)).employeeId];
    default:
      throw new AdminError('bad-input', `unknown level ${level}`);
  }
}

export async function currentLayer(
  deps: Deps,
  level: PolicyLayer['level'],
  id: string,
  orgKey: Uint8Array,
): Promise<{ layer: PolicyLayer; issuedAt: number; rev: string } | null> {
  const wire = await deps.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, policyDocId({ level, id }));
  if (!wire) return null;
  const { _id: _i, _rev, ...body } = wire;
  if (isWithdrawal(body)) return null; // withdrawn: no layer in force
  const v = verifyPolicyDocument(body, [orgKey]);
  if (!v.ok)
    throw new AdminError(
      'tampered',
      `the ${level} policy ${id} in ${DIRECTORY_DB} does not verify (${v.error.message}); use --replace to publish a fresh one`,
    );
  return { ...v.value, rev: _rev as string };
}

export async function setPolicy(deps: Deps, input: SetPolicyInput): Promise<SetPolicyResult> {
  if (input.level === 'organisation' || input.level === 'team' || input.level === 'employee')
    checkId(input.level, input.id);
  const { org, keys } = await deps.custody.unlockOrg(input.orgPassphrase);
  if (input.level === 'organisation' && input.id !== org.orgId)
    throw new AdminError('bad-input', `the organisation is ${org.orgId}, not ${input.id}`);
  const level = input.level as PolicyLayer['level'];
  const existing = input.replace ? null : await currentLayer(deps, level, input.id, org.signPublicKey);
  const layer = buildPolicyLayer({
    level: input.level,
    id: input.id,
    ...(input.set ? { set: input.set } : {}),
    ...(input.lock ? { lock: input.lock } : {}),
    ...(input.unlock ? { unlock: input.unlock } : {}),
    current: existing?.layer ?? null,
  });
  const who = await targets(deps, input.level, input.id, org.signPublicKey);
  // strictly newer than what is in force: agents refuse an older issuedAt as a replay
  const issuedAt = Math.max((deps.now ?? Date.now)(), (existing?.issuedAt ?? -1) + 1);
  const doc = createPolicyDocument(layer, issuedAt, keys);
  if (!doc.ok) throw new AdminError('bad-input', `cannot sign the policy: ${doc.error.message}`);
  const docId = policyDocId(layer);
  return { layer, docId, issuedAt, ...(await publishPolicyDoc(deps, who, docId, issuedAt, doc.value)) };
}

/** Puts one signed policy document (a layer or its withdrawal) in the directory and in each inbox of `who`. */
export async function publishPolicyDoc(
  deps: Deps,
  who: readonly string[],
  docId: string,
  issuedAt: number,
  doc: object,
): Promise<{ publishedTo: string[]; notProvisioned: string[] }> {
  const cur = await deps.client.getDoc(DIRECTORY_DB, docId);
  await deps.client.bulkDocs(DIRECTORY_DB, [wireDoc(docId, doc as Record<string, unknown>, cur?._rev)]);
  const publishedTo: string[] = [];
  const notProvisioned: string[] = [];
  for (const employeeId of who) {
    try {
      await publishToInbox(deps.client, employeeId, [{ id: docId, type: 'policy', issuedAt, doc }]);
      publishedTo.push(employeeId);
    } catch (err) {
      if (!isAdminError(err, 'not-found')) throw err;
      notProvisioned.push(employeeId); // gets it from the directory with their enrollment code
    }
  }
  return { publishedTo, notProvisioned };
}

export interface WithdrawPolicyResult {
  docId: string;
  issuedAt: number;
  publishedTo: string[];
  notProvisioned: string[];
}

/** Takes a layer away: a withdrawal signed by the organisation, newer than the layer, in its place. */
export async function withdrawPolicy(
  deps: Deps,
  input: { level: string; id: string; orgPassphrase: string },
): Promise<WithdrawPolicyResult> {
  if (input.level === 'organisation' || input.level === 'team' || input.level === 'employee')
    checkId(input.level, input.id);
  const { org, keys } = await deps.custody.unlockOrg(input.orgPassphrase);
  const level = input.level as PolicyLayer['level'];
  const existing = await currentLayer(deps, level, input.id, org.signPublicKey);
  if (!existing) throw new AdminError('not-found', `no ${input.level} policy ${input.id} is in force`);
  const who = await targets(deps, input.level, input.id, org.signPublicKey);
  const docId = policyDocId({ level, id: input.id });
  // strictly newer than the layer: agents refuse a withdrawal older than what they applied
  const issuedAt = Math.max((deps.now ?? Date.now)(), existing.issuedAt + 1);
  const doc = createWithdrawalDocument(docId, issuedAt, keys);
  if (!doc.ok) throw new AdminError('bad-input', `cannot sign the withdrawal: ${doc.error.message}`);
  return { docId, issuedAt, ...(await publishPolicyDoc(deps, who, docId, issuedAt, doc.value)) };
}

/** Organisation and team layers from the directory, for a newly enrolled employee's inbox. */
export async function inheritedPolicyDocs(
  deps: Deps,
  orgId: string,
  teamId: string | null,
  orgKey: Uint8Array,
): Promise<Array<{ id: string; issuedAt: number; doc: PolicyDocument }>> {
  const out = [];
  for (const [level, id] of [['organisation', orgId], ...(teamId ? [['team', teamId]] : [])] as Array<
    [PolicyLayer['level'], string]
  >) {
    const wire = await deps.client.getDoc<Record<string, unknown>>(DIRECTORY_DB, policyDocId({ level, id }));
    if (!wire) continue;
    const { _id: _i, _rev: _r, ...body } = wire;
    if (isWithdrawal(body)) continue; // withdrawn before this employee enrolled
    const v = verifyPolicyDocument(body, [orgKey]);
    if (!v.ok)
      throw new AdminError(
        'tampered',
        `the ${level} policy ${id} in ${DIRECTORY_DB} does not verify (${v.error.message})`,
      );
    out.push({ id: policyDocId({ level, id }), issuedAt: v.value.issuedAt, doc: body as unknown as PolicyDocument });
  }
  return out;
}

export interface EffectivePolicyView {
  employeeId: string;
  policy: CapturePolicy;
  /** dotted path → 'default' | '<level>:<id>' */
  sources: Record<string, string>;
  ignored: IgnoredOverride[];
  layers: Array<{ level: string; id: string; issuedAt: number }>;
  refused: Array<{ id: string; reason: string }>;
}

export async function showPolicy(deps: Deps, employeeId: string): Promise<EffectivePolicyView> {
  checkId('employee', employeeId);
  const org = await deps.custody.orgRing();
  const record = await employeeRecord(deps.client, employeeId, org.signPublicKey);
  const teamId = record?.teamId ?? null;
  const deviceIds = new Set((await deps.client.devices(employeeId)).map((d) => d.deviceId));
  const refused: Array<{ id: string; reason: string }> = [];
  const byLevel = new Map<string, { layer: PolicyLayer; issuedAt: number }>();
  for (const d of await readInbox(deps.client, employeeId)) {
    if (d.type !== 'policy' || isWithdrawal(d.doc)) continue;
    const v = verifyPolicyDocument(d.doc, [org.signPublicKey]);
    if (!v.ok) {
      refused.push({ id: d._id, reason: v.error.message });
      continue;
    }
    const { layer, issuedAt } = v.value;
    const applies =
      layer.level === 'organisation' ||
      (layer.level === 'team' && layer.id === teamId) ||
      (layer.level === 'employee' && layer.id === employeeId) ||
      (layer.level === 'device' && deviceIds.has(layer.id));
    if (!applies) continue;
    // several devices may each have a layer; the view shows the newest, as one device would see one
    const cur = byLevel.get(layer.level);
    if (!cur || issuedAt > cur.issuedAt) byLevel.set(layer.level, { layer, issuedAt });
  }
  const chosen = [...byLevel.values()];
  const resolved = resolvePolicy(chosen.map((c) => c.layer));
  if (!resolved.ok)
    throw new AdminError('tampered', `the layers in ${employeeId}'s inbox do not resolve: ${resolved.error.message}`);
  const sources: Record<string, string> = {};
  for (const [path, s] of Object.entries(resolved.source))
    sources[path] = s.level === 'default' ? 'default' : `${s.level}:${s.id}`;
  return {
    employeeId,
    policy: resolved.policy,
    sources,
    ignored: resolved.ignored,
    layers: chosen.map((c) => ({ level: c.layer.level, id: c.layer.id, issuedAt: c.issuedAt })),
    refused,
  };
}
