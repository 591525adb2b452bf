/**
 * Setting up a new organisation from the app, with the use-case behind
 * `sealtime-admin org init`: the organisation and HR rings are made on this
 * machine, wrapped with the admin's passphrase, published signed; the
 * recovery keys come back once for printing and are kept nowhere.
 */
import { isAdminError } from '../../admin/admin-error.js';
import { KeyCustody } from '../../admin/key-custody.js';
import { initOrganisation } from '../../admin/org-setup.js';
import type { FirstRunRequests, FirstRunSubscriptions } from '../../api/contracts/first-run-contract.js';
import { apiError } from '../core-errors.js';
import type { Feature } from './feature.js';

export const firstRunFeature: Feature<keyof FirstRunRequests, keyof FirstRunSubscriptions> = {
  requests: {
    setupOrganisation: async (p, ctx) => {
      const client = await ctx.sessionClient();
      const custody = new KeyCustody(client, ctx.profile, ctx.ringParams ? { params: ctx.ringParams } : {});
      try {
        return await initOrganisation(
          { client, custody, profile: ctx.profile },
          { orgId: p.orgId, passphrase: p.passphrase },
        );
      } catch (err) {
        if (isAdminError(err, 'exists'))
          throw apiError(
            'invalid-input',
            'this server already has an organisation: unlock with its passphrase instead (replacing it needs `sealtime-admin org init --force`)',
          );
        if (isAdminError(err, 'forbidden'))
          throw apiError('forbidden', 'only an admin of this server may set up the organisation');
        throw err;
      }
    },
  },
  subscriptions: {},
};
