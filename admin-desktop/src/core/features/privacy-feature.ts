/**
 * Privacy requests: a person's data counted (what erasure destroys), exported
 * as JSON, erased; screenshots deleted one at a time or by date range.
 *
 * Export: every record of theirs this role can open, decrypted, with
 * screenshot metadata; thumbnails only on request, full images never (they
 * stay sealed on the server: an export of them would be megabytes per day).
 * Deletion and erasure: the server purges (admins only, audited); then this
 * replica and its sealed image cache lose the same rows for good (removed
 * and their tombstones cleaned up, so nothing is left in LevelDB).
 */
import type { OpenedRecord } from '@sealtime/shared';
import { activeKeys } from '../../admin/key-custody.js';
import {
  eraseOnServer,
  publishDeletionMarkers,
  publishErasureNotice,
  purgeRecords,
} from '../../admin/privacy-requests.js';
import {
  deleteScreenshotsProblem,
  type PrivacyRequests,
  type PrivacySubscriptions,
  type PrivacySummary,
} from '../../api/contracts/privacy-contract.js';
import { apiError } from '../core-errors.js';
import { forgetLocally } from '../forget-locally.js';
import type { CoreContext, Unlocked } from '../unlocked-session.js';
import type { Feature } from './feature.js';

const isAdmin = (u: Unlocked): boolean => u.keys.scope.role === 'admin' || u.keys.scope.role === 'super-admin';

function needAdmin(u: Unlocked, what: string): void {
  if (!isAdmin(u)) throw apiError('forbidden', `only admins ${what}`);
}

function known(u: Unlocked, employeeId: string): void {
  if (!u.people.some((p) => p.employeeId === employeeId))
    throw apiError('not-found', `${employeeId} is not among the people this role reviews`);
}

async function opened(
  u: Unlocked,
  employeeId: string,
): Promise<{ days: Map<string, OpenedRecord[]>; cannotOpen: number }> {
  const e = await u.index.employee(employeeId);
  return { days: e.days, cannotOpen: e.cannotOpen };
}

export async function summarise(u: Unlocked, employeeId: string): Promise<PrivacySummary> {
  const { days, cannotOpen } = await opened(u, employeeId);
  const byKind: Record<string, number> = {};
  const devices = new Set<string>();
  let records = 0;
  for (const list of days.values()) {
    for (const r of list) {
      byKind[r.kind] = (byKind[r.kind] ?? 0) + 1;
      devices.add(r.deviceId);
      records++;
    }
  }
  const sorted = [...days.keys()].filter((d) => (days.get(d)?.length ?? 0) > 0).sort();
  return {
    employeeId,
    records,
    byKind,
    screenshots: byKind.screenshot ?? 0,
    days: sorted.length,
    from: sorted[0] ?? null,
    to: sorted.at(-1) ?? null,
    devices: devices.size,
    cannotOpen,
  };
}

export const privacyFeature: Feature<keyof PrivacyRequests, keyof PrivacySubscriptions> = {
  requests: {
    privacySummary: async ({ employeeId }, ctx) => {
      const u = ctx.need();
      known(u, employeeId);
      return summarise(u, employeeId);
    },

    privacyExport: async ({ employeeId, includeThumbnails }, ctx) => {
      const u = ctx.need();
      // HR exports what HR can open (attendance and corrections); managers have no privacy role
      if (!isAdmin(u) && u.keys.scope.role !== 'hr')
        throw apiError('forbidden', "only admins and HR export a person's data");
      known(u, employeeId);
      const { days, cannotOpen } = await opened(u, employeeId);
      const records = [...days.values()].flat().map((r) => {
        const payload =
          r.kind === 'screenshot' && !includeThumbnails
            ? (({ thumb: _t, ...rest }) => rest)(r.payload as typeof r.payload & { thumb?: string })
            : r.payload;
        return {
          id: r.id,
          deviceId: r.deviceId,
          seq: r.seq,
          kind: r.kind,
          createdAt: new Date(r.createdAt).toISOString(),
          integrity: r.integrity,
          payload,
        };
      });
      const exportedAt = ctx.now();
      const doc = {
        format: 'sealtime-person-export',
        v: 1,
        employeeId,
        exportedAt: new Date(exportedAt).toISOString(),
        exportedBy: u.keys.scope.userId,
        role: u.keys.scope.role,
        timeZone: ctx.timeZone,
        summary: await summarise(u, employeeId),
        notIncluded: [
          `${cannotOpen} records sealed to keys this role does not hold`,
          'full-size screenshot images (sealed on the server)',
          ...(includeThumbnails ? [] : ['screenshot thumbnails']),
        ],
        records,
      };
      const day = new Date(exportedAt).toISOString().slice(0, 10);
      return {
        fileName: `sealtime-${employeeId}-${day}.json`,
        json: JSON.stringify(doc, null, 2),
        records: records.length,
      };
    },

    privacyErase: async ({ employeeId, confirm }, ctx) => {
      const u = ctx.need();
      needAdmin(u, 'erase a person');
      if (confirm !== employeeId)
        throw apiError(
          'invalid-input',
          `type the person's id (${employeeId}) exactly to confirm: erasure cannot be undone`,
        );
      const server = await eraseOnServer(u.client, employeeId, confirm);
      // other admins' replicas forget them too, at their next directory refresh (people-directory.ts)
      const org = u.keys.rings.find((r) => r.doc.role === 'organisation');
      if (org)
        await publishErasureNotice(u.client, employeeId, activeKeys(org), {
          userId: u.keys.scope.userId,
          now: ctx.now(),
        });
      const local = await forgetLocally(u, { employeeId });
      await u.store.putMeta(`devices:${employeeId}`, { list: [] });
      u.people = u.people.filter((p) => p.employeeId !== employeeId);
      u.devices.delete(employeeId);
      u.index.invalidate([employeeId]);
      ctx.republish();
      const purged = [...Object.values(server.directoryDocs), ...Object.values(server.consolidatedDocs)].reduce(
        (a, b) => a + b,
        0,
      );
      return {
        employeeId,
        devicesRevoked: server.devicesRevoked,
        accountsDisabled: server.accountsDisabled,
        serverDocsPurged: purged,
        databasesDeleted: server.databasesDeleted,
        replicaRemoved: local.replica,
        imagesRemoved: local.images,
      };
    },

    deleteScreenshots: async (p, ctx) => {
      const u = ctx.need();
      needAdmin(u, 'delete screenshots');
      const problem = deleteScreenshotsProblem(p);
      if (problem) throw apiError('invalid-input', problem);
      known(u, p.employeeId);
      const { days } = await opened(u, p.employeeId);
      const shots = [...days.entries()]
        .filter(([d]) => p.recordId !== undefined || (d >= p.from! && d <= p.to!))
        .flatMap(([, list]) => list)
        .filter((r) => r.kind === 'screenshot' && (p.recordId === undefined || r.id === p.recordId));
      if (p.recordId !== undefined && shots.length === 0)
        throw apiError('not-found', `${p.recordId} is not a screenshot of ${p.employeeId} in this replica`);
      if (shots.length === 0) return { deleted: [], serverRemoved: {} };
      const rows = [...(await u.store.db.replica.findByIds(shots.map((s) => s.id)).exec()).values()];
      const org = u.keys.rings.find((r) => r.doc.role === 'organisation');
      if (!org)
        throw apiError('forbidden', "deleting screenshots needs the organisation key (an admin's unlocked ring)");
      // the markers go first: from then on the chain check explains the hole, even if the purge is retried later
      await publishDeletionMarkers(
        u.client,
        rows.map((r) => ({ envelope: r.envelope, kind: 'screenshot' })),
        activeKeys(org),
        { userId: u.keys.scope.userId, now: ctx.now() },
      );
      const blobIds = shots.map((s) => (s.kind === 'screenshot' ? s.payload.blobId : '')).filter((b) => b !== '');
      const server = await purgeRecords(u.client, {
        employeeId: p.employeeId,
        recordIds: shots.map((s) => s.id),
        blobIds,
      });
      await forgetLocally(u, { ids: shots.map((s) => s.id) });
      u.index.invalidate([p.employeeId]);
      ctx.republish();
      return { deleted: shots.map((s) => s.id), serverRemoved: server.removed };
    },
  },
  subscriptions: {},
};
