/**
 * The policy layers, teams and employees as the organisation directory holds
 * them, each checked against the organisation signing key (a layer that does
 * not verify is listed as refused, never applied), and the chain of layers
 * that applies to one scope. One `_all_docs` read: the directory is small.
 */
import { isWithdrawal, policyDocId, verifyPolicyDocument, type PolicyLayer } from '@sealtime/shared';
import type { PolicyScope } from '../api/admin-api.js';
import { AdminError } from '../admin/admin-error.js';
import { DIRECTORY_DB, verifiedBody, type EmployeeRecord } from '../admin/directory-docs.js';
import type { PublicDevice, ServerClient } from '../admin/node/server-client.js';
import type { ChainLink } from './policy-scope-view.js';

export interface PolicyDirectory {
  layers: Map<string, { layer: PolicyLayer; issuedAt: number }>;
  refused: Array<{ id: string; reason: string }>;
  /** Withdrawn layers' ids → when: a later layer there must be newer still (devices refuse replays). */
  withdrawn: Map<string, number>;
  teams: string[];
  employees: EmployeeRecord[];
  devices: PublicDevice[];
}

export async function readPolicyDirectory(
  client: ServerClient,
  orgSignPublicKey: Uint8Array,
): Promise<PolicyDirectory> {
  const docs = await client.allDocs<Record<string, unknown>>(DIRECTORY_DB);
  const layers = new Map<string, { layer: PolicyLayer; issuedAt: number }>();
  const refused: Array<{ id: string; reason: string }> = [];
  const withdrawn = new Map<string, number>();
  const teams: string[] = [];
  const employees: EmployeeRecord[] = [];
  for (const wire of docs) {
    const { _id: id, _rev: _r, ...body } = wire;
    if (id.startsWith('policy:')) {
      if (isWithdrawal(body)) {
        withdrawn.set(id, typeof body.issuedAt === 'number' ? body.issuedAt : 0); // no layer in force
        continue;
      }
      const v = verifyPolicyDocument(body, [orgSignPublicKey]);
      if (!v.ok) refused.push({ id, reason: v.error.message });
      else if (policyDocId(v.value.layer) !== id)
        refused.push({ id, reason: `it holds the ${v.value.layer.level} layer ${v.value.layer.id}` });
      else layers.set(id, v.value);
    } else if (id.startsWith('team:')) {
      teams.push(verifiedBody<{ teamId: string }>(wire, orgSignPublicKey, `directory entry ${id}`).teamId);
    } else if (id.startsWith('employee:')) {
      employees.push(verifiedBody<EmployeeRecord>(wire, orgSignPublicKey, `directory entry ${id}`));
    }
  }
  employees.sort((a, b) => a.employeeId.localeCompare(b.employeeId));
  return { layers, refused, withdrawn, teams: teams.sort(), employees, devices: await client.devices() };
}

/** The layers organisation → … → the scope itself, and the employees a layer at the scope reaches. */
/** The newest signed time at a scope's document: a new layer or withdrawal must be later. */
export function lastIssuedAt(dir: PolicyDirectory, scope: PolicyScope): number | null {
  const id = policyDocId(scope);
  return dir.layers.get(id)?.issuedAt ?? dir.withdrawn.get(id) ?? null;
}

export function scopeChain(
  dir: PolicyDirectory,
  orgId: string,
  scope: PolicyScope,
): { chain: ChainLink[]; reaches: string[] } {
  const link = (level: PolicyScope['level'], id: string): ChainLink => {
    const l = dir.layers.get(policyDocId({ level, id }));
    return { scope: { level, id }, layer: l?.layer ?? null, issuedAt: l?.issuedAt ?? null };
  };
  const employee = (id: string): EmployeeRecord => {
    const e = dir.employees.find((x) => x.employeeId === id);
    if (!e) throw new AdminError('not-found', `employee ${id} is not in the directory`);
    return e;
  };
  const upToEmployee = (e: EmployeeRecord) => [
    link('organisation', orgId),
    ...(e.teamId ? [link('team', e.teamId)] : []),
    link('employee', e.employeeId),
  ];
  switch (scope.level) {
    case 'organisation':
      if (scope.id !== orgId) throw new AdminError('not-found', `the organisation is ${orgId}, not ${scope.id}`);
      return { chain: [link('organisation', orgId)], reaches: dir.employees.map((e) => e.employeeId) };
    case 'team':
      if (!dir.teams.includes(scope.id)) throw new AdminError('not-found', `team ${scope.id} is not in the directory`);
      return {
        chain: [link('organisation', orgId), link('team', scope.id)],
        reaches: dir.employees.filter((e) => e.teamId === scope.id).map((e) => e.employeeId),
      };
    case 'employee':
      return { chain: upToEmployee(employee(scope.id)), reaches: [scope.id] };
    case 'device': {
      const d = dir.devices.find((x) => x.deviceId === scope.id);
      if (!d) throw new AdminError('not-found', `device ${scope.id} is not enrolled`);
      return { chain: [...upToEmployee(employee(d.employeeId)), link('device', d.deviceId)], reaches: [d.employeeId] };
    }
  }
}
