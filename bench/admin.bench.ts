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
 * Flags: --people N (default 100), --days N (30), --seed N (1), --concurrency N (2),
 * --prepare-only (generate/cache the org and stop), --fresh (regenerate), --skip-ui,
 * --ui-only (only the Chromium part, merged into the results file).
 * The org is cached under .data/bench-admin/ (bench/admin/org-cache.ts).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { ServerClient } from '@sealtime/admin-desktop/node';
import { row, writeResults, type BenchRow } from './bench-report.js';
import { pouchPull } from './admin/pouch-pull.js';
import { openCachedOrg } from './admin/org-cache.js';
import { generateOrg } from '../test-support/org-fixture/index.js';
import { measureReplicaPull, measureUiTimings } from './admin/slots.js';
import { measureWorkCore } from './admin/work-core-timings.js';

const opts = new Command()
  .option('--people <n>', 'employees', '100')
  .option('--days <n>', 'calendar days (weekends are off)', '30')
  .option('--seed <n>', 'generator seed', '1')
  .option('--concurrency <n>', 'devices pushed at once', '2')
  .option(
    '--cache <dir>',
    'where generated organisations are kept between runs',
    join(process.cwd(), '.data', 'bench-admin'),
  )
  .option('--fresh', 'generate and store the organisation again even when cached')
  .option('--prepare-only', 'generate and store the organisation (or check the cache), then stop')
  .option('--skip-ui', 'no Chromium part')
  .option(
    '--ui-only',
    'only the Chromium part; its rows replace those of bench/results/admin.json, the other rows stay from the run that wrote them',
  )
  .parse()
  .opts() as {
  people: string;
  days: string;
  seed: string;
  concurrency: string;
  cache: string;
  fresh?: boolean;
  prepareOnly?: boolean;
  skipUi?: boolean;
  uiOnly?: boolean;
};
const log = (msg: string): void => console.error(`[bench:admin] ${msg}`);

const people = Number(opts.people);
const days = Number(opts.days);
const t0 = performance.now();
const srv = await openCachedOrg(
  { people, days, seed: Number(opts.seed) },
  { root: opts.cache, ...(opts.fresh ? { fresh: true } : {}), concurrency: Number(opts.concurrency), log },
);
const workDir = await mkdtemp(join(tmpdir(), 'st-bench-admin-'));
try {
  const rows: BenchRow[] = [];
  const stored = srv.stored;
  if (srv.generated) {
    const totalS = (performance.now() - t0) / 1000;
    log(
      `stored ${stored.totals.records} records + ${stored.totals.blobs} images in ${totalS.toFixed(1)} s (setup ${stored.seconds.setup.toFixed(1)} s, seal+push ${stored.seconds.sealAndPush.toFixed(1)} s, consolidation ${stored.seconds.consolidation.toFixed(1)} s)`,
    );
  }
  // the generation figures are those of the run that stored the cached org
  rows.push(row(`organisation: ${people} people × ${days} calendar days, seed ${opts.seed}`, days, 'days', true));
  rows.push(row(`org setup: ${people} people (accounts, key rings, enrollment)`, stored.seconds.setup, 's', false));
  rows.push(
    row(
      'generate + seal + push records (with their images)',
      stored.totals.records / stored.seconds.sealAndPush,
      'records/s',
      true,
    ),
  );
  rows.push(row('records stored', stored.totals.records, 'docs', true));
  rows.push(row('screenshot images stored', stored.totals.blobs, 'docs', true));
  rows.push(row('screenshot image bytes (sealed)', stored.totals.blobBytes / 1e6, 'MB', false));
  rows.push(row('consolidation catch-up after the last push', stored.seconds.consolidation, 's', false));
  if (opts.prepareOnly) {
    log('prepared; stopping (--prepare-only)');
  } else {
    if (opts.uiOnly) {
      const plan = await generateOrg({ people, days, seed: Number(opts.seed) });
      const ui = await measureUiTimings({
        serverUrl: srv.url,
        stored,
        workDir,
        log,
        org: { timeZone: plan.timeZone, lastWorkDate: plan.workDates[plan.workDates.length - 1]!, days },
      });
      const fresh = (ui ?? []).map((r) => row(r.metric, r.value, r.unit, r.higherIsBetter));
      const kept = (JSON.parse(readFileSync(join('bench', 'results', 'admin.json'), 'utf8')) as BenchRow[]).filter(
        (r) => !fresh.some((f) => f.metric === r.metric),
      );
      writeResults('admin', [...kept, ...fresh]);
    } else {
      const admin = stored.users.find((u) => u.role === 'admin')!;
      const session = await new ServerClient({ url: srv.url, token: null }).login(admin.userId, admin.password);
      log(`PouchDB replicator: pulling st-org-records (${stored.expected['st-org-records']} records) into LevelDB`);
      const pull = await pouchPull(srv.url, 'st-org-records', session.token);
      if (pull.docs !== stored.expected['st-org-records'])
        throw new Error(`PouchDB pulled ${pull.docs} records, expected ${stored.expected['st-org-records']}`);
      rows.push(row('PouchDB replicator pull of st-org-records into LevelDB', pull.docsPerSecond, 'docs/s', true));
      rows.push(row('PouchDB replicator pull of st-org-records, total', pull.seconds, 's', false));

      const plan = await generateOrg({ people, days, seed: Number(opts.seed) }); // the plan only: its zone and days
      const ctx = {
        serverUrl: srv.url,
        stored,
        workDir,
        log,
        org: { timeZone: plan.timeZone, lastWorkDate: plan.workDates[plan.workDates.length - 1]!, days },
      };
      writeResults('admin', rows); // so far: a run stopped later still leaves these
      const work: BenchRow[] = [];
      const replica = await measureReplicaPull(ctx, async (core) => {
        log("issue 17's reports in the core (projects, productivity, timesheets)");
        for (const r of await measureWorkCore(core, ctx)) work.push(row(r.metric, r.value, r.unit, r.higherIsBetter));
      });
      if (replica) {
        rows.push(
          row('admin replica pull of st-org-records', replica.docs / replica.seconds, 'docs/s', true, {
            name: 'PouchDB replicator',
            value: pull.docsPerSecond,
          }),
        );
        rows.push(row('admin full replica of the org records (target ≤ 120 s)', replica.seconds, 's', false));
      } else log('admin replica pull: not measured yet (bench/admin/slots.ts measureReplicaPull)');
      rows.push(...work);
      writeResults('admin', rows);
      const ui = opts.skipUi ? undefined : await measureUiTimings(ctx);
      if (ui) for (const r of ui) rows.push(row(r.metric, r.value, r.unit, r.higherIsBetter));
      else log('admin UI timings: not measured');
      writeResults('admin', rows);
    }
  }
} finally {
  await srv.close();
  await rm(workDir, { recursive: true, force: true });
}
