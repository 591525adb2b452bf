/**
 * HR decides correction requests: the decision is signed at once with the HR
 * ring and queued in the outbox (stored in the replica before this returns),
 * then sent; offline it waits there and goes when the server answers.
 * The request is found in the replica, so deciding needs no server.
 */
import { decisionDocId } from '@sealtime/shared';
import { isAdminError } from '../../admin/admin-error.js';
import { signCorrectionDecision } from '../../admin/corrections.js';
import { employeeInbox } from '../../admin/directory-docs.js';
import { inboxWrite } from '../../admin/inbox-publisher.js';
import type { CorrectionsRequests, CorrectionsSubscriptions } from '../../api/contracts/corrections-contract.js';
import { apiError } from '../core-errors.js';
import { decisionRing } from '../decision-ring.js';
import type { Feature } from './feature.js';

export const correctionsFeature: Feature<keyof CorrectionsRequests, keyof CorrectionsSubscriptions> = {
  requests: {
    decideCorrection: async (p, ctx) => {
      const u = ctx.need();
      const records = [...(await u.index.employee(p.employeeId)).days.values()].flat();
      const req = records.find((r) => r.kind === 'correction-request' && r.payload.requestId === p.requestId);
      if (!req) throw apiError('not-found', `no correction request ${p.requestId} of ${p.employeeId} in the replica`);
      const decided = records.find((r) => r.kind === 'correction-decision' && r.payload.requestId === p.requestId);
      if (decided)
        throw apiError(
          'invalid-input',
          `request ${p.requestId} was already ${decided.kind === 'correction-decision' ? decided.payload.decision : 'decided'}`,
        );
      const actionId = decisionDocId(p.requestId);
      if (await u.outbox.has(actionId))
        throw apiError('invalid-input', `a decision on ${p.requestId} is already waiting to sync`);
      // online: a decision already in the inbox (made elsewhere) is said now, not found later as a conflict
      const onServer = await u.client
        .getDoc<Record<string, unknown>>(employeeInbox(p.employeeId), decisionDocId(p.requestId))
        .catch((err: unknown) => {
          // offline (or a role that may not read inboxes): the outbox reports a conflict on delivery
          if (isAdminError(err, 'unreachable') || isAdminError(err, 'forbidden')) return null;
          throw err;
        });
      if (onServer)
        throw apiError(
          'invalid-input',
          `request ${p.requestId} was already decided (the decision is in ${p.employeeId}'s inbox)`,
        );
      const ring = await decisionRing(u, ctx.profile);
      const item = signCorrectionDecision(
        {
          requestId: p.requestId,
          employeeId: p.employeeId,
          decision: p.decision,
          decidedBy: u.keys.scope.userId || 'unknown',
          decidedAt: ctx.now(),
          ...(p.comment ? { comment: p.comment } : {}),
        },
        ring,
      );
      const { db, docs } = inboxWrite(p.employeeId, [item]);
      await u.outbox.enqueue({
        id: actionId,
        type: 'correction-decision',
        what: `${p.decision === 'approved' ? 'approve' : 'reject'} correction ${p.requestId} (${p.employeeId})`,
        db,
        docs,
        mode: 'create',
        refs: [p.requestId],
      });
      await u.outbox.flush();
      return { status: (await u.outbox.has(actionId)) ? 'queued' : 'sent' };
    },
  },
  subscriptions: {},
};
