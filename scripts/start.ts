/**
 * `npm start` — the main job on the embedded default, end to end, with the
 * real programs:
 *
 *   server   the sealtime sync-server (gateway + embedded PouchDB on LevelDB)
 *   admin    creates the organisation's key rings (Argon2id-wrapped), accounts
 *            for HR and a manager, an enrollment code, and publishes the signed
 *            recipients document and policy to the employee's inbox
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
import {
  EnvelopeOpener,
  activePublicKeys,
  computeDay,
  createDecisionDocument,
  createKeyring,
  createPolicyDocument,
  createRecipientsDocument,
  dbNames,
  decisionDocId,
  decodePayload,
  fingerprint,
  fromBase64,
  inboxDoc,
  inboxWireDoc,
  initSodium,
  localDateOf,
  openerKeys,
  policyDocId,
  RECIPIENTS_DOC_ID,
  signDocument,
  unlockKeyring,
  verifyChain,
  type AttendanceEvent,
  type KeyRole,
  type RecordKind,
  type UnlockedKeyring,
} from '@sealtime/shared';
import { systemActor } from '@sealtime/sync-server/src/auth/actor.js';
import { COUCHDB_URL_ENV } from '@sealtime/sync-server/src/cli/couchdb-url-option.js';
import { startSealtimeServer } from '@sealtime/sync-server/src/compose.js';
import { splitCredentials } from '@sealtime/sync-server/src/engine/url-credentials.js';
import { startAgent, type StartAgentOptions } from '@sealtime/agent/src/compose.js';
import { agentPaths, enrollDevice } from '@sealtime/agent/src/enroll/index.js';
import { openXterm, xdotool } from '../test-support/x11.js';
import { startDisplay, type TestDisplay } from '../test-support/xvfb.js';
import { waitFor } from '../test-support/wait-for.js';

const { values: flags } = parseArgs({ options: { serve: { type: 'boolean' }, port: { type: 'string' }, 'couchdb-url': { type: 'string', multiple: true } }, strict: true });
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
say(`server listening on ${server.url} (${couchdbUrls.length > 0 ? `Apache CouchDB at ${couchdbUrls.map((u) => splitCredentials(new URL(u)).base).join(', ')}` : `embedded PouchDB on LevelDB in ${join(root, 'server')}`})`);

async function api<T>(token: string | null, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as T & { error?: string; reason?: string };
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${json.reason ?? json.error}`);
  return json;
}
const login = async (userId: string, password: string) => (await api<{ token: string }>(null, 'POST', '/_sealtime/api/login', { userId, password })).token;

// ── admin: accounts, keys, enrollment code, signed inbox documents ───────
const ADMIN_PW = 'demo-admin-password-1';
await server.services.users.createUser(systemActor('npm-start'), { id: ROOT, role: 'super-admin', password: ADMIN_PW });
const admin = await login(ROOT, ADMIN_PW);
await api(admin, 'POST', '/_sealtime/api/users', { id: HR_USER, role: 'hr', password: 'demo-hr-password-1' });
await api(admin, 'POST', '/_sealtime/api/users', { id: MANAGER, role: 'manager', teams: [TEAM], password: 'demo-manager-password-1' });
say(`accounts: ${ROOT} (super admin), ${HR_USER} (HR), ${MANAGER} (manager of ${TEAM})`);

const rings = new Map<KeyRole, UnlockedKeyring>();
for (const [role, owner] of [['organisation', 'acme'], ['team', TEAM], ['hr', 'acme'], ['employee', EMPLOYEE]] as const) {
  const made = createKeyring({ ownerId: owner, role, passphrase: PASSPHRASE, now: Date.now() });
  if (!made.ok) throw new Error(made.error.message);
  rings.set(role, made.value.unlocked);
  say(`${role} key ring created, wrapped with Argon2id (recovery key for the paper: ${made.value.recoveryKey.text.slice(0, 9)}…)`);
}
const active = (role: KeyRole) => {
  const ring = rings.get(role)!;
  const pub = activePublicKeys(ring.doc)!;
  return { pub, keys: ring.keys.get(pub.keyId)! };
};
const org = active('organisation').keys;
const orgFingerprint = fingerprint(org.signPublicKey);

const code = await api<{ code: string }>(admin, 'POST', '/_sealtime/api/enrollment-codes', { employeeId: EMPLOYEE, teamId: TEAM, orgKeyFingerprint: orgFingerprint });
say(`enrollment code for ${EMPLOYEE} (carries the org key fingerprint ${orgFingerprint})`);

const pair = (role: KeyRole) => [{ boxPublicKey: active(role).pub.boxPublicKey, signPublicKey: active(role).pub.signPublicKey }];
const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
// the directory, as `org init`, `team create` and `employee add` leave it: each ring and who belongs where,
// signed by the organisation key, so the admin app (`sealtime-admin ui`) unlocks and lists people from it
const orgSigned = async (id: string, body: Record<string, unknown>) => {
  // a CouchDB keeps earlier runs' directory: replace their entry (its revision) rather than conflict
  const cur = await fetch(`${server.url}/${dbNames.orgDirectory}/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${admin}` } });
  const rev = cur.ok ? ((await cur.json()) as { _rev?: string })._rev : undefined;
  return { _id: id, ...(rev ? { _rev: rev } : {}), ...unwrap(signDocument(body, org.signPublicKey, org.signSecretKey)) };
};
const directory = await api<Array<{ id: string; error?: string }>>(admin, 'POST', `/${dbNames.orgDirectory}/_bulk_docs`, {
  docs: await Promise.all([
    ...[...rings.values()].map((r) => orgSigned(`keyring:${r.doc.role}:${r.doc.ownerId}`, { ...r.doc })),
    orgSigned(`team:${TEAM}`, { type: 'team', teamId: TEAM, createdAt: Date.now() }),
    orgSigned(`employee:${EMPLOYEE}`, { type: 'employee', employeeId: EMPLOYEE, teamId: TEAM, createdAt: Date.now() }),
  ]),
});
const refused = directory.filter((r) => r.error);
if (refused.length > 0) throw new Error(`the directory refused ${refused.map((r) => `${r.id} (${r.error})`).join(', ')}`);
say('published the signed key rings and the team and employee entries to the directory');

const now = Date.now();
const recipients = unwrap(createRecipientsDocument({ employeeId: EMPLOYEE, teamId: TEAM, issuedAt: now, keys: { organisation: pair('organisation'), team: pair('team'), hr: pair('hr'), employee: pair('employee') } }, org));
// Capture needs X11. Without a DISPLAY, and with Xvfb + openbox installed (.ci/run installs
// them), the demo runs the collectors on a private virtual display with a window and input.
let display: TestDisplay | null = null;
if (!process.env.DISPLAY && hasCommand('Xvfb') && hasCommand('openbox')) {
  display = await startDisplay();
  process.env.DISPLAY = display.display; // screenshot-desktop and get-windows read it from the process
}
const displayEnv = display?.env ?? process.env;
const withDisplay = Boolean(displayEnv.DISPLAY);
const layer = {
  level: 'organisation' as const,
  id: 'acme',
  settings: { activity: { slotSeconds: 60 }, screenshots: { enabled: withDisplay, perHour: 60 } },
  locked: ['screenshots.blur'],
};
const policy = unwrap(createPolicyDocument(layer, now, org));
const inbox = `/${dbNames.employeeInbox(EMPLOYEE)}/_bulk_docs`;
await api(admin, 'POST', inbox, {
  docs: [inboxWireDoc(inboxDoc(RECIPIENTS_DOC_ID, 'recipients', EMPLOYEE, now, recipients)), inboxWireDoc(inboxDoc(policyDocId(layer), 'policy', EMPLOYEE, now, policy))],
});
say('published the signed recipients document and the organisation policy to the employee inbox');

// ── agent: enroll, record, sync ──────────────────────────────────────────
const agentDir = join(root, 'agent');
const enrolled = await enrollDevice({ paths: agentPaths(agentDir), serverUrl: server.url, code: code.code, name: 'ada-laptop' });
say(`agent enrolled as ${enrolled.deviceId} for ${enrolled.employeeId}; it trusts only the org key ${enrolled.orgKeyFingerprint}`);
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
say(`agent running: capture ${withDisplay ? `on display ${displayEnv.DISPLAY}${display ? ' (private Xvfb)' : ''}` : 'off (no DISPLAY, no Xvfb: attendance only)'}`);

const must = async <T>(what: string, r: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>) => {
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
  agent.requestCorrection({ date: today, change: 'add', eventType: 'clock-in', at: Date.now() - 3_600_000, reason: 'forgot to clock in when I arrived' }),
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
say(`agent synced: backlog ${st.backlog.count}, last sync ${st.lastSyncAt}; effective screenshots.perHour=${st.policy.effective.screenshots.perHour} (set by ${st.policy.sources['screenshots.perHour']})`);

// ── HR decides the correction; the decision reaches the agent ────────────
const hr = await login(HR_USER, 'demo-hr-password-1');
const decision = { v: 1 as const, requestId: correction.requestId, decision: 'approved' as const, decidedBy: HR_USER, decidedAt: Date.now(), comment: 'ok' };
const signed = unwrap(createDecisionDocument(EMPLOYEE, decision, active('hr').keys));
await api(hr, 'POST', inbox, { docs: [inboxWireDoc(inboxDoc(decisionDocId(decision.requestId), 'correction-decision', EMPLOYEE, decision.decidedAt, signed))] });
await waitFor('the decision to reach the agent', async () => (await agent.status()).inbox.decisions.some((d) => d.requestId === correction.requestId), 60_000);
say(`HR approved correction ${correction.requestId}; the agent received the signed decision`);

// ── review: each role reads its consolidated database with its own key ───
const device = await api<{ signPublicKey: string }>(admin, 'GET', `/_sealtime/api/devices/${enrolled.deviceId}`);
const devKey = unwrap(fromBase64(device.signPublicKey, 32));
const manager = await login(MANAGER, 'demo-manager-password-1');

async function review(who: string, token: string, db: string, role: KeyRole, expected: number): Promise<void> {
  let rows: Array<{ doc?: { envelope?: string; deviceId?: string; seq?: number } }> = [];
  await waitFor(`consolidation into ${db}`, async () => {
    // this device's records: a consolidated database on a CouchDB also holds earlier runs'
    rows = (await api<{ rows: typeof rows }>(token, 'GET', `/${db}/_all_docs?include_docs=true`)).rows.filter((r) => r.doc?.envelope && r.doc.deviceId === enrolled.deviceId);
    return rows.length >= expected;
  }, 60_000);
  const ring = unlockKeyring(rings.get(role)!.doc, PASSPHRASE);
  if (!ring.ok) throw new Error(ring.error.message);
  const opener = new EnvelopeOpener(openerKeys(ring.value));
  const envelopes = rows.map((r) => unwrap(fromBase64(r.doc!.envelope)));
  const readable = new Map<string, number>();
  const attendance: AttendanceEvent[] = [];
  const counts = { keyPresses: 0, clicks: 0, mouseMoves: 0, activeSeconds: 0 };
  const apps = new Set<string>();
  for (const bytes of envelopes) {
    const opened = opener.open(bytes, devKey);
    if (!opened.ok) continue;
    const kind = opened.value.envelope.kind as RecordKind;
    readable.set(kind, (readable.get(kind) ?? 0) + 1);
    if (kind === 'attendance') {
      const p = decodePayload('attendance', opened.value.payload);
      if (p.ok) attendance.push({ at: p.value.at, type: p.value.type, source: p.value.source });
    }
    if (kind === 'activity-slot') {
      const p = decodePayload('activity-slot', opened.value.payload);
      if (p.ok) for (const k of Object.keys(counts) as Array<keyof typeof counts>) counts[k] += p.value[k];
      // app usage rides in the slot since payload v2; older records carry it as app-events
      if (p.ok) for (const a of p.value.apps ?? []) apps.add(a.title ? `${a.app} "${a.title}"` : a.app);
    }
    if (kind === 'app-event') {
      const p = decodePayload('app-event', opened.value.payload);
      if (p.ok) apps.add(p.value.title ? `${p.value.app} "${p.value.title}"` : p.value.app);
    }
  }
  const summary = [...readable].map(([k, n]) => `${n} ${k}`).join(', ') || 'nothing';
  say(`${who} reads ${rows.length} records from ${db}; their key opens: ${summary}`);
  if (attendance.length > 0) {
    const d = computeDay(attendance, { timeZone: TIME_ZONE, days: {}, graceMinutes: 0 }, today, Date.now());
    say(`  ${today}: ${attendance.length} attendance events, worked ${Math.round(d.workedMs / 1000)} s, breaks ${Math.round(d.breakMs / 1000)} s`);
  }
  if (readable.has('activity-slot')) {
    say(`  activity (counts only, never which keys): ${counts.keyPresses} key presses, ${counts.clicks} clicks, ${counts.mouseMoves} mouse moves, ${counts.activeSeconds} active s`);
  }
  if (apps.size > 0) say(`  apps: ${[...apps].join(', ')}`);
}

// the admin also verifies the device's whole chain from the employee's own database
const own = (await api<{ rows: Array<{ doc?: { envelope?: string } }> }>(admin, 'GET', `/${dbNames.employeeRecords(EMPLOYEE)}/_all_docs?include_docs=true`)).rows.filter((r) => r.doc?.envelope);
const chain = verifyChain(own.map((r) => unwrap(fromBase64(r.doc!.envelope))), { deviceId: enrolled.deviceId, deviceSignPublicKey: devKey });
say(`chain of ${own.length} records from ${enrolled.deviceId}: ${chain.ok ? 'intact (signed, hash-linked, no gaps)' : JSON.stringify(chain.issues)}`);
await review(`admin ${ROOT}`, admin, dbNames.orgRecords, 'organisation', own.length);
await review(`HR ${HR_USER}`, hr, dbNames.hrAttendance, 'hr', 1);
await review(`manager ${MANAGER}`, manager, dbNames.teamRecords(TEAM), 'team', 1);
const denied = await fetch(`${server.url}/${dbNames.orgRecords}/_all_docs`, { headers: { authorization: `Bearer ${hr}` } });
say(`HR asking for the organisation database gets ${denied.status}: roles are enforced by the server and by who holds which key`);

if (serve) {
  say(`serving until Ctrl-C: ${server.url} — log in as ${ROOT} / ${ADMIN_PW}, key passphrase "${PASSPHRASE}"`);
  // a data dir inside this run's: the app's replica and pinned org key go with the run that made them
  say(`review it in a browser: npx sealtime-admin --server ${server.url} ui --data-dir ${join(root, 'admin-app')}`);
  say(`  (HR: ${HR_USER} / demo-hr-password-1, manager: ${MANAGER} / demo-manager-password-1, same key passphrase)`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
await agent.stop();
await server.close();
await display?.stop();
say('done');
