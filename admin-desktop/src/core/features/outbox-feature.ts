/** The outbox as the renderer sees it: each waiting action, retry now, discard one. */
import type { OutboxRequests, OutboxSubscriptions } from '../../api/contracts/outbox-contract.js';
import type { Feature } from './feature.js';

export const outboxFeature: Feature<keyof OutboxRequests, keyof OutboxSubscriptions> = {
  requests: {
    outboxRetry: async (_p, ctx) => {
      const u = ctx.need();
      u.outbox.nudge();
      await u.outbox.flush();
      return { waiting: (await u.outbox.list()).length };
    },
    outboxDiscard: async ({ id }, ctx) => {
      const u = ctx.need();
      await u.outbox.discard(id);
      return { waiting: (await u.outbox.list()).length };
    },
  },
  subscriptions: {
    outbox: async (_p, ctx) => {
      const u = ctx.need();
      const items = await u.outbox.list();
      const delivered = (await u.outbox.delivered()).map(({ id, refs, at }) => ({ id, refs, at }));
      return {
        items: items.map(({ id, type, what, refs, createdAt, attempts, lastError, state }) => ({
          id,
          type,
          what,
          refs,
          createdAt,
          attempts,
          lastError,
          state,
        })),
        delivered,
      };
    },
  },
};
