/**
 * npm run bench:admin — the data half of the admin app's benchmark: a real
 * server (embedded engine), a generated organisation stored through its API
 * (test-support/org-fixture: users, key rings, enrolled devices, every
 * record sealed by the recorder's own code and pushed with the device's
 * credential, consolidation awaited), then PouchDB's replicator pulling
 * st-org-records into a LevelDB PouchDB: the baseline the admin app's
 * replica pull must reach. The admin core's own figures come from
 * bench/admin/slots.ts.
 *
 * Flags: --people N (default 100), --days N (30), --seed N (1), --concurrency N (2).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { ServerClient } from '@sealtime/admin-desktop/src/admin/server-client.js';
import { lowParams, ROOT_PASSWORD, startAdminTestServer } from '@sealtime/admin-desktop/src/admin/test-support/admin-server.js';
import { generateOrg, storeOrg } from '../test-support/org-fixture/index.js';
import { row, writeResults, type BenchRow } from './bench-report.js';
import { pouchPull } from './admin/pouch-pull.js';
import { measureReplicaPull, measureUiTimings } from './admin/slots.js';

const opts = new Command()
  .option('--people <n>', 'employees', '100')
  .option('--days <n>', 'calendar days (weekends are off)', '30')
  .option('--seed <n>', 'generator seed', '1')
  .option('--concurrency <n>', 'devices pushed at once', '2')
  .parse()
  .opts() as { people: string; days: string; seed: string; concurrency: string };
const log = (msg: string): void => console.error(`[bench:admin] ${msg}`);

const people = Number(opts.people);
const days = Number(opts.days);
const srv = await startAdminTestServer();
const workDir = await mkdtemp(join(tmpdir(), 'st-bench-admin-'));
try {
  const rows: BenchRow[] = [];
  const t0 = performance.now();
  const org = await generateOrg({ seed: Number(opts.seed), people, days });
  const p = await lowParams();
  log(`${people} people × ${days} days (${org.workDates.length} working days), seed ${opts.seed}: storing on ${srv.url}`);
  let lastLog = 0;
  const stored = await storeOrg(org, {
    url: srv.url,
    superAdmin: { userId: 'root', password: ROOT_PASSWORD },
    profileDir: join(workDir, 'profile'),
    keyParams: { opsLimit: p.opsLimit, memLimitBytes: p.memLimitBytes },
    concurrency: Number(opts.concurrency),
    consolidationTimeoutMs: 3_600_000,
    onProgress: (x) => {
      if (performance.now() - lastLog < 15_000) return;
      lastLog = performance.now();
      log(`  ${x.records} records, ${x.blobs} images pushed (${x.devicesDone}/${x.devices} devices done)`);
    },
  });
  const totalS = (performance.now() - t0) / 1000;
  log(`stored ${stored.totals.records} records + ${stored.totals.blobs} images in ${totalS.toFixed(1)} s (setup ${stored.seconds.setup.toFixed(1)} s, seal+push ${stored.seconds.sealAndPush.toFixed(1)} s, consolidation ${stored.seconds.consolidation.toFixed(1)} s)`);
  rows.push(row(`org setup: ${people} people (accounts, key rings, enrollment)`, stored.seconds.setup, 's', false));
  rows.push(row('generate + seal + push records (with their images)', stored.totals.records / stored.seconds.sealAndPush, 'records/s', true));
  rows.push(row('records stored', stored.totals.records, 'docs', true));
  rows.push(row('screenshot images stored', stored.totals.blobs, 'docs', true));
  rows.push(row('screenshot image bytes (sealed)', stored.totals.blobBytes / 1e6, 'MB', false));
  rows.push(row('consolidation catch-up after the last push', stored.seconds.consolidation, 's', false));

  const admin = stored.users.find((u) => u.role === 'admin')!;
  const session = await new ServerClient({ url: srv.url, token: null }).login(admin.userId, admin.password);
  log(`PouchDB replicator: pulling st-org-records (${stored.expected['st-org-records']} records) into LevelDB`);
  const pull = await pouchPull(srv.url, 'st-org-records', session.token);
  if (pull.docs !== stored.expected['st-org-records']) throw new Error(`PouchDB pulled ${pull.docs} records, expected ${stored.expected['st-org-records']}`);
  rows.push(row('PouchDB replicator pull of st-org-records into LevelDB', pull.docsPerSecond, 'docs/s', true));
  rows.push(row('PouchDB replicator pull of st-org-records, total', pull.seconds, 's', false));

  const ctx = { serverUrl: srv.url, stored, workDir };
  const replica = await measureReplicaPull(ctx);
  if (replica) rows.push(row('admin replica pull of st-org-records', replica.docs / replica.seconds, 'docs/s', true, { name: 'PouchDB replicator', value: pull.docsPerSecond }));
  else log('admin replica pull: not measured yet (bench/admin/slots.ts measureReplicaPull)');
  const ui = await measureUiTimings(ctx);
  if (ui) for (const r of ui) rows.push(row(r.metric, r.value, r.unit, r.higherIsBetter));
  else log('admin UI timings: not measured yet (bench/admin/slots.ts measureUiTimings)');
  writeResults('admin', rows);
} finally {
  await srv.close();
  await rm(workDir, { recursive: true, force: true });
}
