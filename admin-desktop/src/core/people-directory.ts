/**
 * Who the reviewer sees, and each person's enrolled device keys: from the
 * server when it answers (kept in the replica's meta for offline starts),
 * else as last kept. Records of a person whose device list changed are
 * reopened, so a newly enrolled (or revoked) device shows at once.
 */
import { fromBase64 } from '@sealtime/shared';
import { isAdminError } from '../admin/admin-error.js';
import { listEmployees } from '../admin/people-setup.js';
import { erasedEmployees } from '../admin/privacy-requests.js';
import { forgetLocally } from './forget-locally.js';
import { replicaEmployees } from './replica-store.js';
import type { Unlocked } from './unlocked-session.js';

type DirectoryEntry = { employeeId: string; teamId: string | null; displayName?: string };

/** Directory (admins, signed entries only) plus everyone the replica holds records of. */
const DEVICE_LIST_CONCURRENCY = 8;

export async function refreshPeople(u: Unlocked, changed?: ReadonlySet<string>): Promise<void> {
  let directory: DirectoryEntry[] | undefined;
  let erased: string[] = (await u.store.getMeta<{ list: string[] }>('erased'))?.list ?? [];
  if (u.keys.orgSignPublicKey) {
    try {
      directory = await listEmployees(u.client, u.keys.orgSignPublicKey);
      await u.store.putMeta('people', { list: directory });
      erased = await erasedEmployees(u.client, u.keys.orgSignPublicKey);
      await u.store.putMeta('erased', { list: erased });
    } catch (err) {
      if (!isAdminError(err, 'unreachable')) throw err;
    }
  }
  directory ??= (await u.store.getMeta<{ list: DirectoryEntry[] }>('people'))?.list ?? [];
  // a person erased (by any admin) leaves nothing in this replica either
  for (const e of erased) {
    if ((await u.store.db.replica.count({ selector: { employeeId: e } }).exec()) === 0) continue;
    await forgetLocally(u, { employeeId: e });
    u.index.invalidate([e]);
  }
  const seen = new Set([...directory.map((d) => d.employeeId), ...erased]);
  const extra = (await replicaEmployees(u.store.db.replica)).filter((e) => !seen.has(e));
  const list: DirectoryEntry[] = [
    ...directory.map((d) => ({
      employeeId: d.employeeId,
      teamId: d.teamId,
      ...(d.displayName ? { displayName: d.displayName } : {}),
    })),
    ...extra.map((e) => ({ employeeId: e, teamId: null })),
  ];
  // the signed directory name where there is one, else the id
  u.people = list
    .map((p) => ({ employeeId: p.employeeId, displayName: p.displayName ?? p.employeeId, teamId: p.teamId }))
    .sort((a, b) => a.employeeId.localeCompare(b.employeeId));
  // device keys: everyone at unlock, then only people with new rows (and anyone new)
  // a few at a time: at unlock this is one request per person, on the way to the first dashboard
  const todo = u.people
    .filter((p) => !changed || changed.has(p.employeeId) || !u.devices.has(p.employeeId))
    .map((p) => p.employeeId);
  let next = 0;
  const worker = async () => {
    while (next < todo.length) await loadDeviceKeys(u, todo[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(DEVICE_LIST_CONCURRENCY, todo.length) }, worker));
}

/** Enrolled device keys per employee, from the server when it answers, else as kept. */
async function loadDeviceKeys(u: Unlocked, employeeId: string): Promise<void> {
  let list: Array<{ deviceId: string; signPublicKey: string }> | null;
  try {
    list = (await u.client.devices(employeeId)).map((d) => ({ deviceId: d.deviceId, signPublicKey: d.signPublicKey }));
    await u.store.putMeta(`devices:${employeeId}`, { list });
  } catch (err) {
    if (isAdminError(err, 'forbidden'))
      list = null; // a role that may not see them (older servers refuse HR): records open unverified
    else if (isAdminError(err, 'unreachable'))
      list = (await u.store.getMeta<{ list: typeof list }>(`devices:${employeeId}`))?.list ?? null;
    else throw err;
  }
  const before = u.devices.get(employeeId);
  if (list === null) {
    u.devices.set(employeeId, null);
  } else {
    const m = new Map<string, Uint8Array>();
    for (const d of list) {
      const k = fromBase64(d.signPublicKey, 32);
      if (k.ok && k.value.length === 32) m.set(d.deviceId, k.value);
    }
    u.devices.set(employeeId, m);
  }
  const after = u.devices.get(employeeId);
  const ids = (x: typeof before) => JSON.stringify([...(x ?? [])].map((e) => e[0]));
  // Records opened while the keys were not known yet (a view built during the first
  // refresh) or not readable opened 'unverified', and views skip those: reopen them.
  const reopen =
    before === undefined || before === null ? after !== null : after === null || ids(before) !== ids(after);
  if (reopen) u.index.invalidate([employeeId]);
}
