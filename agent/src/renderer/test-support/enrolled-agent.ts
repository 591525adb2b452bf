/** An employee's device enrolled against the agent test server, and the policy its organisation and team deliver. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InboxDoc } from '@sealtime/shared';
import type { AgentTestServer } from '../../cli/test-support/agent-server.js';
import { agentPaths } from '../../enroll/data-dir.js';
import { enrollDevice } from '../../enroll/enroll-device.js';

export const EMPLOYEE = 'ana';
export const TEAM = 'design';

/** A fresh data dir with ana's device enrolled in the design team; returns the dir. */
export async function enrollTestDevice(srv: AgentTestServer, tmpPrefix: string): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), tmpPrefix));
  await enrollDevice({
    paths: agentPaths(dataDir),
    serverUrl: srv.url,
    code: await srv.enrollmentCode(EMPLOYEE, TEAM),
  });
  return dataDir;
}

/** The recipients and two policy layers: blurred screenshots 6 an hour, 90 days' retention; the team adds window titles. */
export function policyInbox(srv: AgentTestServer): InboxDoc[] {
  return [
    srv.org.recipients(EMPLOYEE, TEAM),
    srv.org.policy(EMPLOYEE, {
      level: 'organisation',
      id: 'acme',
      settings: { screenshots: { enabled: true, perHour: 6, blur: true }, retention: { days: 90 } },
    }),
    srv.org.policy(EMPLOYEE, { level: 'team', id: TEAM, settings: { appTracking: { titles: true } } }),
  ];
}
