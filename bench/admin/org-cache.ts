/**
 * The generated organisation, kept between bench runs: a 100 × 30 org is
 * ~400k sealed records and ~100k sealed images, far too slow to seal and
 * push on every run. The first run stores it on a server whose data
 * directory lives under .data/bench-admin/<key>/ (gitignored); the accounts,
 * passphrases and counts go to stored.json beside it, written last, so a
 * directory without it is an interrupted run and is thrown away. Later runs
 * start the server on that directory and skip generation.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pino } from 'pino';
import { initSodium } from '@sealtime/shared';
import { startSealtimeServer, systemActor, type SealtimeServer } from '@sealtime/sync-server';
import { lowParams, ROOT_PASSWORD } from '@sealtime/admin-desktop/testing';
import { engineWriter, generateOrg, storeOrg, type StoredOrg } from '../../test-support/org-fixture/index.js';

export interface OrgSize {
  people: number;
  days: number;
  seed: number;
}

export interface CachedOrg {
  server: SealtimeServer;
  url: string;
  stored: StoredOrg;
  /** True when this run generated and stored the organisation. */
  generated: boolean;
  close(): Promise<void>;
}

/** Bumped with each change of how records are stored (ids, classes), so a cache of the old model is not reused. */
const MODEL = 'm2'; // m2: screenshot records in class media, ids <deviceId>:m<seq>

export const cacheKey = (s: OrgSize): string => `org-p${s.people}-d${s.days}-s${s.seed}-${MODEL}`;

async function start(dataDir: string): Promise<SealtimeServer> {
  return startSealtimeServer({
    dataDir,
    listen: { host: '127.0.0.1', port: 0 },
    logger: pino({ level: process.env.SEALTIME_TEST_LOG ?? 'silent' }),
  });
}

/**
 * The org of this size on a running server: reused from the cache when a
 * complete one exists (and `fresh` is not set), else generated and stored.
 */
export async function openCachedOrg(
  size: OrgSize,
  opts: { root: string; fresh?: boolean; concurrency: number; log: (m: string) => void },
): Promise<CachedOrg> {
  await initSodium();
  const dir = join(opts.root, cacheKey(size));
  const storedFile = join(dir, 'stored.json');
  const dataDir = join(dir, 'server');
  if (!opts.fresh && existsSync(storedFile)) {
    const stored = JSON.parse(await readFile(storedFile, 'utf8')) as StoredOrg;
    const server = await start(dataDir);
    opts.log(
      `cached organisation ${cacheKey(size)} (${stored.totals.records} records, ${stored.totals.blobs} images) on ${server.url}`,
    );
    return { server, url: server.url, stored, generated: false, close: () => server.close() };
  }
  await rm(dir, { recursive: true, force: true }); // an interrupted or unwanted earlier run
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const server = await start(dataDir);
  try {
    await server.services.users.createUser(systemActor('bench'), {
      id: 'root',
      role: 'super-admin',
      password: ROOT_PASSWORD,
      teams: [],
      employeeId: null,
    });
    const org = await generateOrg(size);
    const p = await lowParams();
    opts.log(
      `${size.people} people × ${size.days} days (${org.workDates.length} working days), seed ${size.seed}: storing on ${server.url}`,
    );
    let lastLog = 0;
    const stored = await storeOrg(org, {
      url: server.url,
      superAdmin: { userId: 'root', password: ROOT_PASSWORD },
      profileDir: join(dir, 'profile'),
      keyParams: { opsLimit: p.opsLimit, memLimitBytes: p.memLimitBytes },
      concurrency: opts.concurrency,
      batchSize: 2000,
      writeDocs: engineWriter(server.server.engine),
      consolidationTimeoutMs: 3_600_000,
      onProgress: (x) => {
        if (performance.now() - lastLog < 15_000) return;
        lastLog = performance.now();
        opts.log(`  ${x.records} records, ${x.blobs} images pushed (${x.devicesDone}/${x.devices} devices done)`);
      },
    });
    // fixture accounts only; still kept owner-readable like the fixture CLI's credentials file
    await writeFile(storedFile, JSON.stringify(stored) + '\n', { mode: 0o600 });
    return { server, url: server.url, stored, generated: true, close: () => server.close() };
  } catch (e) {
    await server.close().catch(() => undefined);
    throw e;
  }
}
