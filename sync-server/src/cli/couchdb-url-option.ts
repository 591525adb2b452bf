/**
 * `--couchdb-url`, repeatable: one URL for a single node, several for a
 * cluster's nodes (the server fails over between them). The environment
 * variable takes the same list separated by spaces (a URL has none).
 */
import { Option } from 'commander';
import type { CouchDBUrls } from '../engine/open-engine.js';

export const COUCHDB_URL_ENV = 'SEALTIME_COUCHDB_URL';

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...value.split(/\s+/).filter((v) => v !== '')];
}

export function couchdbUrlOption(what: string): Option {
  return new Option(
    '--couchdb-url <url>',
    `${what} (admin credentials in the URL); repeat it for each node of a cluster`,
  )
    .argParser(collect)
    .env(COUCHDB_URL_ENV);
}

/** The option's value as the engine takes it: undefined for none, a string for one. */
export function couchdbUrls(value: string[] | undefined): CouchDBUrls | undefined {
  if (!value || value.length === 0) return undefined;
  return value.length === 1 ? value[0]! : value;
}

/** For messages: the URLs without credentials. */
export function shownUrls(value: CouchDBUrls, redact: (url: string) => string): string {
  return (typeof value === 'string' ? [value] : value).map(redact).join(', ');
}
