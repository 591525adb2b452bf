/** The sync bar: each database's pull state, unopenable records, the outbox. */
import type { SyncStatusValue } from '../../api/admin-api.js';
import type { Feature } from './feature.js';

export const statusFeature: Feature<never, 'sync'> = {
  requests: {},
  subscriptions: {
    sync: async (_p, ctx) => {
      const u = ctx.need();
      let cannotOpen = 0;
      for (const p of u.people) cannotOpen += (await u.index.employee(p.employeeId)).cannotOpen;
      const outbox = await u.store.db.outbox.count().exec();
      return { databases: u.sync.status(), cannotOpen, outbox } satisfies SyncStatusValue;
    },
  },
};
