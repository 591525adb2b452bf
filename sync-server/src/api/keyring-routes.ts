/**
 * Key-ring delivery (GET /_sealtime/api/keyrings): the wrapped key rings the
 * signed-in person's role holds, read from st-org-directory by the gateway on
 * their behalf. HR and managers cannot read the directory; this hands them
 * exactly their own rings (access-rules.ts `holdsKeyring`), so they unlock on
 * any machine with their password and passphrase, and no ring file is carried
 * by hand. The documents are served as the admin signed them: public keys and
 * passphrase-wrapped secrets only; the server never holds anything that opens.
 */
import { holdsKeyring } from '../auth/access-rules.js';
import { actorName } from '../auth/actor.js';
import { AuthError } from '../auth/auth-errors.js';
import { dbNames } from '../provisioning/db-names.js';
import { ok, type RouteDef } from './api-types.js';
import { actorOf, person } from './people-routes.js';

const PREFIX = 'keyring:';

interface DirectoryRow {
  id: string;
  doc?: Record<string, unknown> & { _id: string; _rev?: string };
}

export const keyringRoutes: RouteDef[] = [
  {
    method: 'GET',
    path: 'keyrings',
    auth: 'person',
    async handle(r, d) {
      const p = person(r);
      let rows: DirectoryRow[];
      try {
        const res = await d.engine.nano
          .use<Record<string, unknown>>(dbNames.orgDirectory)
          .list({ startkey: PREFIX, endkey: `${PREFIX}\ufff0`, include_docs: true });
        rows = res.rows as DirectoryRow[];
      } catch (e) {
        // no directory yet: no organisation, so no rings to hand out
        if ((e as { statusCode?: number }).statusCode === 404) return ok({ keyrings: [] });
        d.logger?.error({ err: (e as Error).message }, 'reading key rings from the directory failed');
        throw new AuthError('store-unavailable', 'the key rings could not be read; try again');
      }
      const keyrings = [];
      for (const row of rows) {
        const [, role, ownerId] = row.id.split(':');
        const doc = row.doc;
        // the id and the body must name the same ring, or the ring is not handed out under either name
        if (!doc || role === undefined || ownerId === undefined || doc.role !== role || doc.ownerId !== ownerId)
          continue;
        if (!holdsKeyring(p, role, ownerId)) continue;
        const { _id: _i, _rev: rev, ...body } = doc;
        keyrings.push(body);
        // a ring hand-out is a sensitive read (wrapped, but it is what a stolen passphrase opens): one entry per ring
        d.audit.record({
          actor: actorName(actorOf(r)),
          action: 'keyring.deliver',
          target: `keyring:${role}:${ownerId}`,
          ip: r.ip,
          userAgent: r.userAgent,
          details: { role: p.role, ...(rev ? { rev } : {}) },
        });
      }
      return ok({ keyrings });
    },
  },
];
