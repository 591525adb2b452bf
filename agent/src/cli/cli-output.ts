/** Human-readable rendering of `status` (the JSON form is the AgentStatus itself). */
import type { AgentStatus } from '../compose.js';

const mb = (n: number) => (n >= 1_048_576 ? `${(n / 1_048_576).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} kB`);

export function renderStatus(s: AgentStatus): string {
  const out: string[] = [];
  out.push(
    `device      ${s.device.deviceId}  employee ${s.device.employeeId}${s.device.teamId ? `  team ${s.device.teamId}` : ''}`,
  );
  out.push(
    `server      ${s.device.serverUrl}  (${s.running ? (s.connected ? 'connected' : 'not connected') : 'agent not running'})`,
  );
  out.push(`org key     ${s.device.orgKeyFingerprint}`);
  out.push(
    `keys        ${s.keys.ready ? `in force (issued ${s.keys.recipientsIssuedAt})` : `waiting: ${s.keys.reason}`}`,
  );
  out.push(
    `backlog     ${s.backlog.count} record(s), ${mb(s.backlog.bytes)}${s.backlog.oldestAt ? `, oldest ${s.backlog.oldestAt}` : ''}`,
  );
  out.push(
    `last sync   ${s.lastSyncAt ?? 'never'}${s.backlog.lastError ? `  last error ${s.backlog.lastError.at}: ${s.backlog.lastError.message}` : ''}`,
  );
  out.push(
    `capture     ${s.capture.state}${s.capture.reason ? ` (${s.capture.reason})` : ''}${
      s.capture.collectors
        ? `  ${Object.entries(s.capture.collectors)
            .map(([k, v]) => `${k}:${v ? 'on' : 'off'}`)
            .join(' ')}`
        : ''
    }`,
  );
  if (s.capture.screenshots && s.capture.screenshots.mode !== 'normal')
    out.push(`screenshots ${s.capture.screenshots.mode} (local storage over budget)`);
  if (s.capture.lastError)
    out.push(`capture err ${s.capture.lastError.source} ${s.capture.lastError.code}: ${s.capture.lastError.message}`);
  if (s.attendance)
    out.push(
      `attendance  ${s.attendance.state}${s.attendance.since ? ` since ${new Date(s.attendance.since).toISOString()}` : ''}; today worked ${Math.round(s.attendance.today.workedMs / 60_000)} min`,
    );
  for (const c of s.attendance?.corrections ?? [])
    out.push(
      `correction  ${c.requestId} ${c.date} ${c.change} ${c.eventType}: ${c.decision ? `${c.decision.decision} by ${c.decision.decidedBy}` : 'pending'}`,
    );
  if (s.tracking)
    out.push(
      `project     ${s.tracking.current ? `${s.tracking.current.label}${s.tracking.since ? ` since ${s.tracking.since}` : ''}` : 'none (recorded as "no project")'}`,
      ...(s.tracking.note ? [`            ${s.tracking.note}`] : []),
    );
  for (const r of s.inbox.refused) out.push(`REFUSED     inbox '${r.id}': ${r.reason}`);
  out.push('policy      (value  ← set by)');
  for (const [path, source] of Object.entries(s.policy.sources)) {
    const value = path
      .split('.')
      .reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], s.policy.effective);
    out.push(`  ${path.padEnd(28)} ${JSON.stringify(value).padEnd(12)} ← ${source}`);
  }
  return out.join('\n');
}
