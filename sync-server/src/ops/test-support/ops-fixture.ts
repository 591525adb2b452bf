/**
 * Seeded engines for the ops tests: the shared engine fixture (embedded on
 * disk, or the CouchDB in COUCHDB_URL) with two employees, a team, real
 * sealed records (old and new), screenshots, devices, and key rings in an
 * inbox and in st-org-directory. `opsEngine` hands the data to an operation
 * as the CLI would: on the embedded engine the server side is stopped first
 * and the directory reopened, because ops open LevelDB directly.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createKeyring,
  fromBase64,
  MIN_MEM_LIMIT_BYTES,
  MIN_OPS_LIMIT,
  newPwhashParams,
  verifyChain,
  type KeyringDoc,
  type RecordDoc,
} from '@sealtime/shared';
import type { AuditEvent, AuditSink } from '../../audit/audit-log.js';
import { systemActor } from '../../auth/actor.js';
import { systemClock } from '../../auth/clock.js';
import { EnrollmentService } from '../../auth/enrollment.js';
import { SystemStore } from '../../auth/system-store.js';
import { startEmbeddedEngine } from '../../engine/embedded-engine.js';
import type { Engine } from '../../engine/engine.js';
import { dbNames } from '../../provisioning/db-names.js';
import {
  eventually,
  openEngineFixture,
  type EngineFixture,
  type EngineKind,
} from '../../../test-support/engine-fixture.js';
import { createTestDevice, toWire, type TestDevice } from '../../../test-support/sealed-records.js';
import type { OpsContext } from '../ops-context.js';

export const T0 = Date.UTC(2025, 0, 10, 9, 0, 0);
/** Purge cut-off in the tests: records at T0.. are old, from T0 + 10 days new. */
export const CUTOFF = new Date(T0 + 5 * 86_400_000);
export const LATER = T0 + 10 * 86_400_000;

export class CollectingAudit implements AuditSink {
  readonly events: AuditEvent[] = [];
  record(event: AuditEvent): string {
    this.events.push(event);
    return String(this.events.length);
  }
}

export interface Seeded {
  f: EngineFixture;
  e1: string;
  e2: string;
  team: string;
  d1: TestDevice;
  d2: TestDevice;
  /** e1: activity + attendance old, activity new; e2: activity old + new. */
  records: { e1Old: RecordDoc[]; e1New: RecordDoc[]; e2Old: RecordDoc[]; e2New: RecordDoc[] };
  blobs: { e1Old: string; e1New: string };
  keyrings: { e1: KeyringDoc; e2: KeyringDoc };
  devices: { e1: number };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function keyring(ownerId: string): Promise<KeyringDoc> {
  const made = createKeyring({
    ownerId,
    role: 'employee',
    passphrase: 'correct horse battery staple',
    now: T0,
    params: newPwhashParams(MIN_OPS_LIMIT, MIN_MEM_LIMIT_BYTES),
  });
  if (!made.ok) throw new Error(made.error.message);
  return made.value.unlocked.doc;
}

export async function ids(engine: Engine, db: string): Promise<string[]> {
  const res = await engine.nano.use(db).list();
  return res.rows
    .map((r) => r.id)
    .filter((id) => !id.startsWith('_design/'))
    .sort();
}

export async function seed(kind: EngineKind): Promise<Seeded> {
  const f = await openEngineFixture(kind);
  const [e1, e2, team] = [f.employee('e1'), f.employee('e2'), f.team('t')];
  await f.provisioner.provisionOrg();
  await f.provisioner.provisionEmployee({ employeeId: e1, teamId: team });
  await f.provisioner.provisionEmployee({ employeeId: e2, teamId: null });
  const d1 = await createTestDevice(`d1-${e1}`.slice(0, 60), e1);
  const d2 = await createTestDevice(`d2-${e2}`.slice(0, 60), e2);
  const records = {
    e1Old: [d1.activity(T0), d1.attendance(T0 + 60_000)],
    e1New: [d1.activity(LATER)],
    e2Old: [d2.activity(T0)],
    e2New: [d2.activity(LATER)],
  };
  const b1 = d1.blob(2048, T0 + 120_000);
  const b2 = d1.blob(2048, LATER + 60_000);
  const { nano } = f.engine;
  await nano
    .use(dbNames.employeeRecords(e1))
    .bulk({ docs: [...records.e1Old, ...records.e1New].map(toWire) as never[] });
  await nano
    .use(dbNames.employeeRecords(e2))
    .bulk({ docs: [...records.e2Old, ...records.e2New].map(toWire) as never[] });
  await nano.use(dbNames.employeeBlobs(e1)).bulk({ docs: [b1, b2].map(toWire) as never[] });

  const keyrings = { e1: await keyring(e1), e2: await keyring(e2) };
  await nano
    .use(dbNames.employeeInbox(e1))
    .insert({ _id: `keyring-${e1}`, type: 'keyring', target: e1, issuedAt: T0, doc: keyrings.e1 } as never);
  // a policy updated once: a document with history, for the backup's revision handling
  const p = await nano
    .use(dbNames.employeeInbox(e1))
    .insert({ _id: 'policy-1', type: 'policy', target: e1, issuedAt: T0, doc: { v: 1 } } as never);
  await nano
    .use(dbNames.employeeInbox(e1))
    .insert({ _id: 'policy-1', _rev: p.rev, type: 'policy', target: e1, issuedAt: T0 + 1, doc: { v: 2 } } as never);
  await nano.use(dbNames.orgDirectory).bulk({
    docs: [
      { _id: `keyring:${e1}`, type: 'keyring', target: e1, issuedAt: T0, doc: keyrings.e1 },
      { _id: `keyring:${e2}`, type: 'keyring', target: e2, issuedAt: T0, doc: keyrings.e2 },
    ] as never[],
  });

  const store = await SystemStore.open(nano.use(dbNames.system), { cacheTtlMs: 0 });
  const enrollment = new EnrollmentService({ store, audit: new CollectingAudit(), clock: systemClock });
  for (let i = 0; i < 2; i++) {
    const code = await enrollment.createCode(systemActor('test'), {
      employeeId: e1,
      teamId: team,
      orgKeyFingerprint: 'ab'.repeat(16),
    });
    await enrollment.redeem(code.code, { name: `laptop ${i}` }, { ip: '127.0.0.1', userAgent: null });
  }

  // consolidation done: org has everyone's, the team e1's activity and attendance, HR the attendance
  const all = [...records.e1Old, ...records.e1New, ...records.e2Old, ...records.e2New].map((r) => r.id);
  await eventually(
    async () => (await ids(f.engine, dbNames.orgRecords)).filter((id) => all.includes(id)).length === all.length,
    30_000,
    'org consolidation',
  );
  await eventually(
    async () => (await ids(f.engine, dbNames.hrAttendance)).includes(records.e1Old[1]!.id),
    30_000,
    'hr consolidation',
  );
  await eventually(
    async () => (await ids(f.engine, dbNames.teamRecords(team))).includes(records.e1New[0]!.id),
    30_000,
    'team consolidation',
  );
  if (kind === 'embedded') await sleep(1_200); // the embedded consolidator saves its checkpoints within a second
  return { f, e1, e2, team, d1, d2, records, blobs: { e1Old: b1.id, e1New: b2.id }, keyrings, devices: { e1: 2 } };
}

/** The engine an operation gets, as the CLI would open it; call `done` after. */
export async function opsEngine(s: Seeded): Promise<{ engine: Engine; done(): Promise<void> }> {
  if (s.f.dir === null) return { engine: s.f.engine, done: async () => undefined };
  await s.f.stop();
  const engine = await startEmbeddedEngine({ dataDir: s.f.dir });
  return { engine, done: () => engine.close() };
}

export function opsContext(engine: Engine, audit = new CollectingAudit()): OpsContext & { audit: CollectingAudit } {
  return { engine, audit, actor: systemActor('test') };
}

/**
 * Slices of the second half of a base64url envelope (ciphertext and signature,
 * unique to this record: the header repeats device, key and kind of its
 * neighbours), short enough to survive LevelDB's block compression literally.
 */
export function fingerprints(text: string): string[] {
  const out: string[] = [];
  const step = Math.max(24, Math.floor(text.length / 2 / 12));
  for (let i = Math.floor(text.length / 2); i + 24 <= text.length && out.length < 12; i += step)
    out.push(text.slice(i, i + 24));
  return out;
}

/** Whether any slice appears in any file under `dir` (the database's LevelDB files). */
export async function onDisk(dir: string, slices: string[]): Promise<boolean> {
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  for (const e of files) {
    const bytes = await readFile(join(e.parentPath, e.name));
    if (slices.some((s) => bytes.includes(s))) return true;
  }
  return false;
}

/** verifyChain over a device's envelopes as stored in `db` (a whole chain, from seq 0). */
export async function verifyStored(
  engine: Engine,
  db: string,
  device: TestDevice,
): Promise<{ ok: boolean; verified: number }> {
  const res = await engine.nano.use<RecordDoc>(db).list({ include_docs: true });
  const docs = res.rows
    .map((r) => r.doc as unknown as RecordDoc)
    .filter((d) => d && d.deviceId === device.deviceId)
    .sort((a, b) => a.seq - b.seq);
  const envelopes = docs.map((d) => {
    const b = fromBase64(d.envelope);
    if (!b.ok) throw new Error('bad envelope');
    return b.value;
  });
  const report = verifyChain(envelopes, { deviceId: device.deviceId, deviceSignPublicKey: device.signPublicKey });
  return { ok: report.ok, verified: report.verified };
}
