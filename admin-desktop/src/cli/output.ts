/** Human renderings of the admin results; `--json` prints the data itself instead. */
import type { CorrectionRow, DayReview, EffectivePolicyView } from '../admin/index.js';

const hm = (ms: number) => {
  const m = Math.round(ms / 60_000);
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}`;
};
const time = (t: number | undefined, tz: string) =>
  t === undefined ? '—' : new Date(t).toLocaleTimeString('en-GB', { timeZone: tz, hour12: false });

export function renderPolicy(v: EffectivePolicyView): string {
  const lines = [
    `effective policy for ${v.employeeId} (layers: ${v.layers.map((l) => `${l.level}:${l.id}`).join(', ') || 'none, defaults only'})`,
  ];
  for (const [path, src] of Object.entries(v.sources)) {
    const value = path.split('.').reduce<unknown>((node, k) => (node as Record<string, unknown>)[k], v.policy);
    lines.push(`  ${path.padEnd(28)} ${JSON.stringify(value).padEnd(10)} ${src}`);
  }
  for (const i of v.ignored) lines.push(`  ignored: ${i.level} set ${i.path}, locked by ${i.lockedBy}`);
  for (const r of v.refused) lines.push(`  REFUSED ${r.id}: ${r.reason}`);
  return lines.join('\n');
}

export function renderCorrections(rows: readonly CorrectionRow[]): string {
  if (rows.length === 0) return 'no pending correction requests';
  return rows
    .map((r) => {
      const at = r.at !== undefined ? ` at ${new Date(r.at).toISOString()}` : '';
      const target = r.target ? ` (record ${r.target})` : '';
      return `${r.requestId}  ${r.status}  ${r.employeeId}  ${r.date}  ${r.change} ${r.eventType}${at}${target}\n    reason: ${r.reason}${r.verified ? '' : '\n    (signature not checked: your role cannot read device keys)'}`;
    })
    .join('\n');
}

export function renderReview(d: DayReview): string {
  const out = [`${d.employeeId} on ${d.date} (${d.timeZone}) — read as ${d.role} from ${d.db}`];
  if (d.attendance) {
    const a = d.attendance;
    out.push(
      `  attendance: in ${time(a.firstIn, d.timeZone)}, out ${time(a.lastOut, d.timeZone)}, worked ${hm(a.workedMs)}, breaks ${hm(a.breakMs)}${a.anomalies.length ? `, ${a.anomalies.length} anomalies` : ''}`,
    );
    for (const e of a.events)
      out.push(`    ${time(e.at, d.timeZone)} ${e.type}${e.source !== 'agent' ? ` (${e.source})` : ''}`);
  } else out.push('  attendance: none readable');
  out.push(
    d.activity
      ? `  activity: ${d.activity.percent} % over ${Math.round(d.activity.slotSeconds / 60)} min (${d.activity.keyPresses} keys, ${d.activity.clicks} clicks, ${d.activity.mouseMoves} moves)`
      : '  activity: none readable',
  );
  out.push(d.apps.length ? `  apps: ${d.apps.map((a) => `${a.app} ${hm(a.ms)}`).join(', ')}` : '  apps: none readable');
  out.push(`  screenshots: ${d.screenshots}`);
  out.push(
    `  integrity alerts: ${d.alerts.length === 0 ? 'none' : d.alerts.map((a) => `${a.issue}: ${a.detail}`).join('; ')}`,
  );
  for (const c of d.chains)
    out.push(
      `  chain ${c.deviceId}: ${c.status} (${c.verified}/${c.records} signatures verified${c.gaps ? `, ${c.gaps} gaps` : ''})${c.issues.length ? ` — ${c.issues.map((i) => i.type).join(', ')}` : ''}`,
    );
  out.push(
    `  records: ${d.records.total} (${d.records.opened} opened, ${d.records.notForThisRole} sealed to other roles${d.records.failed.length ? `, ${d.records.failed.length} FAILED` : ''})`,
  );
  return out.join('\n');
}
