/**
 * `npm start` — the main job on the embedded default, end to end, with the
 * real programs:
 *
 *   server   the sealtime sync-server (gateway + embedded PouchDB on LevelDB)
 *   admin    creates the organisation's key rings (Argon2id-wrapped), accounts
 *            for HR and a manager, an enrollment code, and publishes the signed
 *            recipients document and policy to the employee's inbox — with the
 *            use-cases `sealtime-admin` and the admin app call
 *            (@sealtime/admin-desktop), not raw API calls
 *   agent    enrolls with the code (pinning the org key fingerprint), records
 *            attendance (and activity, app use, screenshots if a display is
 *            there), seals every record, keeps it in RxDB on LevelDB, syncs
 *   HR       decides the employee's correction request; the decision reaches
 *            the agent through its inbox
 *   review   admin, HR and manager each replicate their consolidated database,
 *            unlock their key with the passphrase, verify the device chain and
 *            read exactly what their key opens
 *
 * `npm start -- --couchdb-url http://admin:…@host:5984` (repeatable, for a
 * cluster's nodes) runs the same against Apache CouchDB, with people and team
 * ids of the run's own, since the CouchDB keeps what earlier runs stored.
 * Data lives in ./.data/start (wiped at each run). `npm start -- --serve`
 * keeps the server and agent running afterwards until Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { dbNames, initSodium, localDateOf, recordClassOf } from '@sealtime/shared';
import { COUCHDB_URL_ENV, splitCredentials, startSealtimeServer, systemActor } from '@sealtime/sync-server';
import { agentPaths, enrollDevice, startAgent, type StartAgentOptions } from '@sealtime/agent';
import {
  addEmployee,
  chainStatus,
  createTeam,
  decideCorrection,
  deviceKeys,
  initOrganisation,
  inviteAccount,
  isAdminError,
  issueEnrollmentCode,
  login,
  openContext,
  readRecords,
  reviewDay,
  setPolicy,
  type AdminContext,
  type DayReview,
} from '@sealtime/admin-desktop/node';
import { openXterm, xdotool } from '../test-support/x11.js';
import { startDisplay, type TestDisplay } from '../test-support/xvfb.js';
import { waitFor } from '../test-support/wait-for.js';

const { values: flags } = parseArgs({
  options: { serve: { type: 'boolean' }, port: { type: 'string' }, 'couchdb-url': { type: 'string', multiple: true } },
  strict: true,
});
const serve = flags.serve === true;
// --port: where --serve listens (default 5985; 0: any free port, e.g. for a test beside another run)
const port = flags.port === undefined ? (serve ? 5985 : 0) : Number(flags.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port takes 0-65535, not '${flags.port}'`);
// --couchdb-url (repeatable: a cluster's nodes) or SEALTIME_COUCHDB_URL (space-separated), as for sealtime-server start
const couchdbUrls = (flags['couchdb-url'] ?? (process.env[COUCHDB_URL_ENV] ?? '').split(/\s+/)).filter((u) => u !== '');
/** A CouchDB outlives the run: this run's people and team get their own ids there. */
const RUN = couchdbUrls.length > 0 ? `-${Date.now().toString(36)}` : '';
const root = resolve('.data/start');
const say = (msg: string) => console.log(`[sealtime] ${msg}`);
const PASSPHRASE = 'correct horse battery staple — demo only';
const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
const EMPLOYEE = `ada${RUN}`;
const TEAM = `engineering${RUN}`;
const [ROOT, HR_USER, MANAGER] = [`root${RUN}`, `hana${RUN}`, `max${RUN}`];

await rm(root, { recursive: true, force: true });
await initSodium();

// ── server ───────────────────────────────────────────────────────────────
const server = await startSealtimeServer({
  dataDir: join(root, 'server'),
  listen: { host: '127.0.0.1', port },
  logger: pino({ level: process.env.SEALTIME_LOG ?? 'warn' }, pino.destination(2)),
  ...(couchdbUrls.length > 0 ? { couchdbUrl: couchdbUrls.length === 1 ? couchdbUrls[0]! : couchdbUrls } : {}),
});
say(
  `server listening on ${server.url} (${couchdbUrls.length > 0 ? `Apache CouchDB at ${couchdbUrls.map((u) => splitCredentials(new URL(u)).base).join(', ')}` : `embedded PouchDB on LevelDB in ${join(root, 'server')}`})`,
);

// ── admin: accounts, keys, enrollment code, signed inbox documents ───────
// The use-cases behind `sealtime-admin org init`, `team create`, `employee add`,
// `account invite`, `policy set` and `enroll-code`, and behind the admin app.
const ADMIN_PW = 'demo-admin-password-1';
await server.services.users.createUser(systemActor('npm-start'), { id: ROOT, role: 'super-admin', password: ADMIN_PW });
/** Each person signs in with a profile of their own (session token, pinned org fingerprint), as on their own machine. */
async function signIn(userId: string, password: string): Promise<AdminContext> {
  const opts = { profileDir: join(root, 'profiles', userId), server: server.url };
  await login(opts, userId, password);
  return openContext(opts);
}
const admin = await signIn(ROOT, ADMIN_PW);
// a CouchDB keeps earlier runs' organisation: this run's replaces it, as `org init --force` does
const org = await initOrganisation(admin, { orgId: 'acme', passphrase: PASSPHRASE, force: RUN !== '' });
const team = await createTeam(admin, { teamId: TEAM, orgPassphrase: PASSPHRASE, teamPassphrase: PASSPHRASE });
const employee = await addEmployee(admin, {
  employeeId: EMPLOYEE,
  teamId: TEAM,
  orgPassphrase: PASSPHRASE,
  employeePassphrase: PASSPHRASE,
});
const recoveryKeys = [
  ...org.recoveryKeys.map((k) => [k.role, k.text] as const),
  ['team', team.recoveryKey] as const,
  ['employee', employee.recoveryKey] as const,
];
for (const [role, text] of recoveryKeys)
  say(`${role} key ring created, wrapped with Argon2id (recovery key for the paper: ${text.slice(0, 9)}…)`);
const hrAccount = await inviteAccount(admin, { userId: HR_USER, role: 'hr', orgPassphrase: PASSPHRASE });
const managerAccount = await inviteAccount(admin, {
  userId: MANAGER,
  role: 'manager',
  teams: [TEAM],
  orgPassphrase: PASSPHRASE,
});
say(
  `accounts: ${ROOT} (super admin), ${HR_USER} (HR), ${MANAGER} (manager of ${TEAM}), the last two with one-time passwords`,
);

// Capture needs X11. Without a DISPLAY, and with Xvfb + openbox installed (.ci/run installs
// them), the demo runs the collectors on a private virtual display with a window and input.
let display: TestDisplay | null = null;
if (!process.env.DISPLAY && hasCommand('Xvfb') && hasCommand('openbox')) {
  display = await startDisplay();
  process.env.DISPLAY = display.display; // screenshot-desktop and get-windows read it from the process
}
const displayEnv = display?.env ?? process.env;
const withDisplay = Boolean(displayEnv.DISPLAY);
const code = await issueEnrollmentCode(admin, { employeeId: EMPLOYEE, orgPassphrase: PASSPHRASE });
say(`enrollment code for ${EMPLOYEE} (carries the org key fingerprint ${code.fingerprint})`);
// On a CouchDB the directory still lists earlier runs' people, signed by the organisation key this run
// replaced: an organisation-wide layer would be refused there (tampered entries), so that run sets the employee's.
const layer = RUN ? { level: 'employee', id: EMPLOYEE } : { level: 'organisation', id: 'acme' };
const policy = await setPolicy(admin, {
  ...layer,
  set: ['activity.slotSeconds=60', `screenshots.enabled=${withDisplay}`, 'screenshots.perHour=60'],
  lock: ['screenshots.blur'],
  // a fresh layer, not merged over one in force (on a CouchDB, an earlier run's)
  replace: true,
  orgPassphrase: PASSPHRASE,
});
if (!policy.publishedTo.includes(EMPLOYEE))
  throw new Error(`the ${layer.level} policy did not reach ${EMPLOYEE}'s inbox`);
say(`published the signed recipients document and the ${layer.level} policy to the employee inbox`);

// ── agent: enroll, record, sync ──────────────────────────────────────────
const agentDir = join(root, 'agent');
const enrolled = await enrollDevice({
  paths: agentPaths(agentDir),
  serverUrl: server.url,
  code: code.code,
  name: 'ada-laptop',
});
say(
  `agent enrolled as ${enrolled.deviceId} for ${enrolled.employeeId}; it trusts only the org key ${enrolled.orgKeyFingerprint}`,
);
const agentOptions: StartAgentOptions = {
  dataDir: agentDir,
  mode: 'run',
  capture: withDisplay,
  env: displayEnv,
  // a screenshot every 3 s instead of the policy's hourly cadence, so the demo shows some
  ...(withDisplay ? { screenshotIntervalMs: 3_000, windowIntervalMs: 1_000 } : {}),
  logger: pino({ level: 'warn' }, pino.destination(2)),
};
let agent = await startAgent(agentOptions);
await agent.waitForKeys(30_000);
say(
  `agent running: capture ${withDisplay ? `on display ${displayEnv.DISPLAY}${display ? ' (private Xvfb)' : ''}` : 'off (no DISPLAY, no Xvfb: attendance only)'}`,
);

const must = async <T>(
  what: string,
  r: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>,
) => {
  const x = await r;
  if (!x.ok) throw new Error(`${what}: ${x.error.message}`);
  return x.value;
};
await must('clock in', agent.clockIn());
await must('break start', agent.breakStart());
await must('break end', agent.breakEnd());
const today = localDateOf(Date.now(), TIME_ZONE);
const correction = await must(
  'correction',
  agent.requestCorrection({
    date: today,
    change: 'add',
    eventType: 'clock-in',
    at: Date.now() - 3_600_000,
    reason: 'forgot to clock in when I arrived',
  }),
);
if (withDisplay) await workAtTheDesk(displayEnv);
await must('clock out', agent.clockOut());
// The employee shuts the laptop: capture stops, handing the open activity slot to the recorder.
// Starting again (no capture) syncs what is left: nothing recorded is lost across the restart.
await agent.stop();
agent = await startAgent({ ...agentOptions, capture: false });
say('agent stopped and started again');

/** Ten seconds of someone working in a terminal: typed keys, clicks, mouse moves. */
async function workAtTheDesk(env: NodeJS.ProcessEnv): Promise<void> {
  const term = await openXterm(env, { title: 'Quarterly report - draft', geometry: '100x30+40+40', faceSize: 14 });
  try {
    for (let i = 0; i < 10; i++) {
      await xdotool(env, 'mousemove', String(100 + i * 30), String(120 + i * 10));
      await xdotool(env, 'type', '--delay', '40', 'hello ');
      await xdotool(env, 'click', '1');
      await new Promise((r) => setTimeout(r, 600));
    }
  } finally {
    await term.close();
  }
}

function hasCommand(cmd: string): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, cmd)));
}

await waitFor('the backlog to drain', async () => (await agent.status()).backlog.count === 0, 60_000);
const st = await agent.status();
say(
  `agent synced: backlog ${st.backlog.count}, last sync ${st.lastSyncAt}; effective screenshots.perHour=${st.policy.effective.screenshots.perHour} (set by ${st.policy.sources['screenshots.perHour']})`,
);

// ── HR decides the correction; the decision reaches the agent ────────────
const hr = await signIn(HR_USER, hrAccount.temporaryPassword);
await waitFor(
  'the correction request to reach HR',
  async () =>
    (await readRecords(hr.client, dbNames.hrAttendance, EMPLOYEE)).some((d) => recordClassOf(d) === 'correction'),
  60_000,
);
await decideCorrection(hr, {
  requestId: correction.requestId,
  decision: 'approve',
  comment: 'ok',
  passphrase: PASSPHRASE,
});
await waitFor(
  'the decision to reach the agent',
  async () => (await agent.status()).inbox.decisions.some((d) => d.requestId === correction.requestId),
  60_000,
);
say(`HR approved correction ${correction.requestId}; the agent received the signed decision`);

// ── review: each role reads its consolidated database with its own key ───
const manager = await signIn(MANAGER, managerAccount.temporaryPassword);

async function review(who: string, ctx: AdminContext, db: string, expected: number): Promise<void> {
  // consolidation copies the records over in the background: wait for them before unlocking the key
  await waitFor(
    `consolidation into ${db}`,
    async () => (await readRecords(ctx.client, db, EMPLOYEE)).length >= expected,
    60_000,
  );
  const day: DayReview = await reviewDay(ctx, {
    employeeId: EMPLOYEE,
    date: today,
    timeZone: TIME_ZONE,
    passphrase: PASSPHRASE,
  });
  const r = day.records;
  say(
    `${who} reads ${r.total} records from ${day.db}; their key opens ${r.opened}${r.notForThisRole > 0 ? ` (${r.notForThisRole} are for other roles)` : ''}${r.failed.length > 0 ? `, ${r.failed.length} fail to open` : ''}`,
  );
  if (day.attendance) {
    say(
      `  ${today}: ${day.attendance.events.length} attendance events, worked ${Math.round(day.attendance.workedMs / 1000)} s, breaks ${Math.round(day.attendance.breakMs / 1000)} s`,
    );
  }
  if (day.activity) {
    const a = day.activity;
    say(
      `  activity (counts only, never which keys): ${a.keyPresses} key presses, ${a.clicks} clicks, ${a.mouseMoves} mouse moves, ${a.activeSeconds} active s`,
    );
  }
  if (day.apps.length > 0) say(`  apps: ${day.apps.map((x) => x.app).join(', ')}`);
  if (day.screenshots > 0) say(`  screenshots: ${day.screenshots}`);
}

// the admin also verifies the device's whole chain from the employee's own database
const own = await readRecords(admin.client, dbNames.employeeRecords(EMPLOYEE));
const chains = chainStatus(own, await deviceKeys(admin.client, EMPLOYEE), true);
for (const c of chains)
  say(
    `chain of ${c.records} records from ${c.deviceId}: ${c.status === 'intact' ? 'intact (signed, hash-linked, no gaps)' : `${c.status}: ${JSON.stringify(c.issues)}`}`,
  );
await review(`admin ${ROOT}`, admin, dbNames.orgRecords, own.length);
await review(`HR ${HR_USER}`, hr, dbNames.hrAttendance, 1);
await review(`manager ${MANAGER}`, manager, dbNames.teamRecords(TEAM), 1);
const denied = await hr.client.allDocs(dbNames.orgRecords).then(
  () => 200,
  (err: unknown) => (isAdminError(err) ? (err.status ?? err.code) : 'an error'),
);
say(
  `HR asking for the organisation database gets ${denied}: roles are enforced by the server and by who holds which key`,
);

if (serve) {
  say(`serving until Ctrl-C: ${server.url} — log in as ${ROOT} / ${ADMIN_PW}, key passphrase "${PASSPHRASE}"`);
  // a data dir inside this run's: the app's replica and pinned org key go with the run that made them
  say(`review it in a browser: npx sealtime-admin --server ${server.url} ui --data-dir ${join(root, 'admin-app')}`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
await agent.stop();
await server.close();
await display?.stop();
say('done');
