/** The sync bar: each database's pull state, unopenable records, the outbox. */
import type { SyncStatusValue } from '../../api/admin-api.js';
import type { Feature } from './feature.js';

export const statusFeature: Feature<never, 'sync'> = {
  requests: {},
  subscriptions: {
    sync: async (_p, ctx) => {
      const u = ctx.need();
      // counted over what has been opened so far: opening everyone just for this number is too dear
      const cannotOpen = await u.index.cannotOpenSoFar();
      const outbox = await u.store.db.outbox.count().exec();
      return { databases: u.sync.status(), cannotOpen, outbox } satisfies SyncStatusValue;
    },
  },
};
