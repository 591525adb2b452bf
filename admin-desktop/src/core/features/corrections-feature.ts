/** HR decides correction requests: a decision signed with the HR ring, sent to the employee's device. */
import { decideCorrection } from '../../admin/corrections.js';
import { KeyCustody } from '../../admin/key-custody.js';
import type { CorrectionsRequests, CorrectionsSubscriptions } from '../../api/contracts/corrections-contract.js';
import type { Feature } from './feature.js';

export const correctionsFeature: Feature<keyof CorrectionsRequests, keyof CorrectionsSubscriptions> = {
  requests: {
    decideCorrection: async (p, ctx) => {
      const u = ctx.need();
      const custody = new KeyCustody(u.client, ctx.profile);
      await decideCorrection(
        { client: u.client, custody },
        { requestId: p.requestId, decision: p.decision === 'approved' ? 'approve' : 'reject', passphrase: u.passphrase, ...(p.comment ? { comment: p.comment } : {}), ...(ctx.keyringFile ? { keyringFile: ctx.keyringFile } : {}) },
      );
      return { status: 'sent' };
    },
  },
  subscriptions: {},
};
