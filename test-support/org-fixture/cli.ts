/**
 * Stores a generated organisation on a running server, for demos and benches:
 *
 *   npx tsx test-support/org-fixture/cli.ts --server URL --people 100 --days 30 --seed 1
 *
 * The super admin's password comes from SEALTIME_FIXTURE_PASSWORD (never a
 * flag: it would sit in the shell history). The accounts, passwords and
 * passphrases created are written to --out (0600), never printed.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { MIN_MEM_LIMIT_BYTES, MIN_OPS_LIMIT } from '@sealtime/shared';
import { generateOrg, storeOrg } from './index.js';

const program = new Command()
  .name('org-fixture')
  .requiredOption('--server <url>', 'the Sealtime server (gateway) URL')
  .option('--people <n>', 'employees', '10')
  .option('--days <n>', 'calendar days up to --end-date (weekends are off)', '5')
  .option('--seed <n>', 'generator seed', '1')
  .option('--end-date <date>', 'last local date, YYYY-MM-DD', '2026-11-27')
  .option('--time-zone <tz>', 'IANA time zone of the organisation', 'Europe/Berlin')
  .option('--teams <n>', 'number of teams (default one per 8 people)')
  .option('--user <id>', 'the super admin account', 'root')
  .option('--profile <dir>', 'admin profile directory (default a new temp dir)')
  .option('--out <file>', 'where to write the credentials created', 'org-fixture-credentials.json')
  .option('--cheap-keys', 'Argon2id at its floor for the new key rings (quick unlocks; for tests and benches)')
  .option('--concurrency <n>', 'devices pushed at once', '2');
program.parse();
const o = program.opts() as Record<string, string | boolean | undefined>;

const int = (name: string): number => {
  const n = Number(o[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`--${name} must be a positive integer`);
    process.exit(2);
  }
  return n;
};
const password = process.env.SEALTIME_FIXTURE_PASSWORD;
if (!password) {
  console.error('set SEALTIME_FIXTURE_PASSWORD to the password of the super admin account');
  process.exit(2);
}

try {
  const org = await generateOrg({
    seed: int('seed'),
    people: int('people'),
    days: int('days'),
    endDate: String(o.endDate),
    timeZone: String(o.timeZone),
    ...(o.teams !== undefined ? { teams: int('teams') } : {}),
  });
  const profileDir =
    typeof o.profile === 'string' ? o.profile : await mkdtemp(join(tmpdir(), 'sealtime-fixture-profile-'));
  let last = 0;
  const stored = await storeOrg(org, {
    url: String(o.server),
    superAdmin: { userId: String(o.user), password },
    profileDir,
    concurrency: int('concurrency'),
    ...(o.cheapKeys ? { keyParams: { opsLimit: MIN_OPS_LIMIT, memLimitBytes: MIN_MEM_LIMIT_BYTES } } : {}),
    onProgress: (p) => {
      if (Date.now() - last < 10_000) return;
      last = Date.now();
      console.error(`${p.records} records, ${p.blobs} images pushed; ${p.devicesDone}/${p.devices} devices done`);
    },
  });
  const { users, passphrases, devices, ...summary } = stored;
  await writeFile(
    String(o.out),
    JSON.stringify(
      { server: o.server, users, passphrases, devices: devices.map(({ credential: _c, ...d }) => d) },
      null,
      2,
    ) + '\n',
    { mode: 0o600 },
  );
  console.log(
    JSON.stringify(
      { ...summary, users: users.length, devices: devices.length, credentials: o.out, profileDir },
      null,
      2,
    ),
  );
} catch (err) {
  console.error(`org-fixture: ${(err as Error).message}`);
  process.exit(1);
}
