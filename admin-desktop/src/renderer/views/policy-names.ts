/**
 * Names the policy editor shows: levels, setting labels from their paths,
 * values in words, and the scopes (organisation → team → employee → device)
 * a level offers. Pure, shared by the editor's rows and its screen.
 */
import type { PolicyLayerLevel, PolicyScope, PolicyTargets, PolicyValue } from '../../api/admin-api.js';

export const LEVELS: Array<[PolicyLayerLevel, string]> = [
  ['organisation', 'Organisation'],
  ['team', 'Team'],
  ['employee', 'Employee'],
  ['device', 'Device'],
];
export const levelName = (l: string) => LEVELS.find(([k]) => k === l)?.[1] ?? 'Default';

/** 'perHour' → 'Per hour' */
export const words = (key: string) => {
  const s = key.replace(/([A-Z])/g, ' $1').toLowerCase();
  return s.charAt(0).toUpperCase() + s.slice(1);
};
export const groupOf = (path: string) => (path.includes('.') ? path.split('.')[0]! : 'general');
export const labelOf = (path: string) => words(path.split('.').pop()!);

export function formatPolicyValue(v: PolicyValue | undefined): string {
  if (v === undefined) return '—';
  if (typeof v === 'boolean') return v ? 'On' : 'Off';
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.join(', ');
  return String(v);
}

export const scopeName = (s: { level: string; id?: string }, targets?: PolicyTargets): string => {
  if (s.level === 'default') return 'Default';
  if (s.level === 'device' && targets) {
    const d = targets.devices.find((x) => x.deviceId === s.id);
    if (d) return `Device ${d.name ?? s.id} (${d.employeeId})`;
  }
  return `${levelName(s.level)} ${s.id ?? ''}`.trim();
};

export function idsFor(level: PolicyLayerLevel, t: PolicyTargets): Array<[string, string]> {
  if (level === 'organisation') return [[t.orgId, t.orgId]];
  if (level === 'team') return t.teams.map((x) => [x, x]);
  if (level === 'employee')
    return t.employees.map((e) => [e.employeeId, e.teamId ? `${e.employeeId} (team ${e.teamId})` : e.employeeId]);
  return t.devices.map((d) => [
    d.deviceId,
    `${d.name ?? d.deviceId} — ${d.employeeId}${d.revoked ? ' (revoked)' : ''}`,
  ]);
}

/** The first id of a level, for switching levels. */
export const firstScopeOf = (level: PolicyLayerLevel, t: PolicyTargets): PolicyScope | null => {
  const first = idsFor(level, t)[0];
  return first ? { level, id: first[0] } : null;
};
