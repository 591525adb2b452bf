/**
 * The teams a written project names, for the access rules' manager check
 * (issue 17: a manager publishes projects of the teams they manage). The
 * gateway reads them from the body — in the directory the signed document
 * itself, in an inbox the signed document inside the inbox item — and from
 * the version being replaced, so a manager can neither name another team
 * nor overwrite another team's project. The signature is the agents' and
 * reviewers' check; this one keeps the stored copies honest too.
 */
import { PROJECT_DOC_PREFIX } from '@sealtime/shared';
import type { ParsedDbName } from '../provisioning/db-names.js';
import { isPlainObject } from './json-body.js';
import { dbPath, readUpstream, type Upstream } from './upstream.js';

/** The team ids a stored project document names, or undefined when it is not one. */
export function projectTeamsOf(kind: ParsedDbName['kind'], doc: Record<string, unknown>): string[] | undefined {
  const signed = kind === 'employee-inbox' ? doc.doc : doc;
  if (!isPlainObject(signed) || !isPlainObject(signed.project)) return undefined;
  const teams = signed.project.teamIds;
  if (!Array.isArray(teams) || teams.some((t) => typeof t !== 'string')) return undefined;
  return teams as string[];
}

export const isProjectDocId = (id: string): boolean => id.startsWith(PROJECT_DOC_PREFIX);

/** The teams of the version stored now ([] when there is none). */
export async function storedProjectTeams(
  upstream: Upstream,
  dbName: string,
  kind: ParsedDbName['kind'],
  docId: string,
): Promise<string[]> {
  const res = await upstream.request({ method: 'GET', path: dbPath(dbName, `/${encodeURIComponent(docId)}`) });
  const raw = await readUpstream(res);
  if (res.statusCode === 404) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    parsed = null;
  }
  // something unreadable stands there: name a team no manager has, so the write is refused
  if (res.statusCode !== 200 || !isPlainObject(parsed)) return ['(unreadable)'];
  return projectTeamsOf(kind, parsed) ?? ['(not a project)'];
}
