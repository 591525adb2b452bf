/**
 * The server side of bench:agent: the real composed server (embedded engine,
 * real identity, gateway and JSON API on loopback) with a simulated
 * organisation (the agent tests' own harness), and devices enrolled the way
 * `sealtime-agent enroll` does it: a one-time code from the admin API,
 * redeemed by the agent's own enrollDevice into a fresh data directory.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentPaths, enrollDevice, type AgentPaths, type EnrollResult } from '@sealtime/agent';
import { startAgentTestServer, type AgentTestServer } from '@sealtime/agent/testing';

export type { AgentTestServer };
export const startServer = startAgentTestServer;

export interface EnrolledDevice extends EnrollResult {
  paths: AgentPaths;
}

/** Enrolls one device of `employeeId` and publishes its signed recipients document (the default policy: no policy layer). */
export async function enrollWithRecipients(
  srv: AgentTestServer,
  employeeId: string,
  teamId: string,
): Promise<EnrolledDevice> {
  const dir = await mkdtemp(join(tmpdir(), `st-bench-agent-${employeeId}-`));
  const paths = agentPaths(dir);
  const code = await srv.enrollmentCode(employeeId, teamId);
  const r = await enrollDevice({ paths, serverUrl: srv.url, code, name: `bench-${employeeId}` });
  await srv.putInbox(employeeId, [srv.org.recipients(employeeId, teamId)]);
  return { ...r, paths };
}

/** Documents (not design documents) in a database of the engine. */
export async function docCount(srv: AgentTestServer, db: string): Promise<number> {
  const nano = srv.s.server.engine.nano;
  const info = await nano.db.get(db);
  const design = await nano.use(db).list({ startkey: '_design/', endkey: '_design0' });
  return info.doc_count - design.rows.length;
}
