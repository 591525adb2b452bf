/**
 * What the server holds for an employee, checked the way a reviewer would:
 * every record doc in st-emp-<e>-records, read through the engine's admin URL
 * (or the gateway with an admin's token), grouped by device and checked for
 *
 *   duplicates   one (deviceId, seq) in two docs, or a doc with conflicting
 *                revisions, or one rewritten after its first write (records
 *                are immutable: rev 1 is the only valid one)
 *   gaps         seqs missing between 0 and the highest seq
 *   chain        shared verifyChain over the envelopes, with the device's key
 *   malformed    docs whose clear fields disagree with the signed envelope
 *
 * The local half (the agent's own store after kill -9) is checked in
 * agent/src/recorder/recorder-kill.int.test.ts; this is the server half.
 */
import { fromBase64, initSodium, validateRecordDoc, verifyChain, type ChainIssue } from '@sealtime/shared';

export interface LedgerSource {
  /** Engine base URL (credentials in it are sent as Basic auth) or the gateway's. */
  url: string;
  /** e.g. 'Bearer <admin session token>' for the gateway. */
  authorization?: string;
}

export interface DeviceLedger {
  deviceId: string;
  count: number;
  maxSeq: number;
  /** Every seq present, ascending. */
  seqs: number[];
  /** Missing seq ranges, inclusive. */
  gaps: Array<[number, number]>;
  /** Seqs stored more than once (or with conflicting / rewritten revisions). */
  duplicates: number[];
  chainOk: boolean;
  chainIssues: ChainIssue[];
  issues: string[];
}

export interface LedgerReport {
  employeeId: string;
  count: number;
  /** Highest seq over all devices (-1: none). */
  maxSeq: number;
  gaps: Array<{ deviceId: string; from: number; to: number }>;
  duplicates: Array<{ deviceId: string; seq: number }>;
  chainOk: boolean;
  /** Everything wrong, readable; empty when the ledger is clean. */
  issues: string[];
  devices: DeviceLedger[];
}

interface Row {
  id: string;
  doc?: Record<string, unknown> & { _id: string; _rev: string; _conflicts?: string[] };
}

function request(source: LedgerSource): { base: string; headers: Record<string, string> } {
  const u = new URL(source.url);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (u.username) {
    // fetch refuses URLs with credentials: move them to a header
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  if (source.authorization) headers.authorization = source.authorization;
  return { base: u.href.replace(/\/+$/, ''), headers };
}

/** Every non-design doc of a database, paged by key (stable under concurrent writes). */
export async function allDocs(source: LedgerSource, db: string, pageSize = 1000): Promise<NonNullable<Row['doc']>[]> {
  const { base, headers } = request(source);
  const out: NonNullable<Row['doc']>[] = [];
  let startkey: string | null = null;
  for (;;) {
    const q = new URLSearchParams({ include_docs: 'true', conflicts: 'true', limit: String(pageSize + 1) });
    if (startkey !== null) q.set('startkey', JSON.stringify(startkey));
    const res = await fetch(`${base}/${encodeURIComponent(db)}/_all_docs?${q}`, { headers });
    if (!res.ok) throw new Error(`reading ${db}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    const body = (await res.json()) as { rows: Row[] };
    const page = body.rows.slice(0, pageSize);
    for (const r of page) if (r.doc && !r.id.startsWith('_design/')) out.push(r.doc);
    if (body.rows.length <= pageSize) return out;
    startkey = body.rows[pageSize]!.id;
  }
}

/** Missing ranges in ascending distinct `seqs` between 0 and their max. */
export function seqGaps(seqs: readonly number[]): Array<[number, number]> {
  const gaps: Array<[number, number]> = [];
  let expected = 0;
  for (const s of seqs) {
    if (s > expected) gaps.push([expected, s - 1]);
    expected = Math.max(expected, s + 1);
  }
  return gaps;
}

const describeIssue = (i: ChainIssue): string => {
  switch (i.type) {
    case 'missing':
      return `chain: missing seq ${i.fromSeq}..${i.toSeq}`;
    case 'broken-link':
      return `chain: broken link at seq ${i.seq}`;
    case 'malformed':
      return `chain: malformed envelope #${i.index}: ${i.error.message}`;
    default:
      return `chain: ${i.type} at seq ${i.seq}${'reason' in i ? ` (${i.reason})` : ''}`;
  }
};

/**
 * Reads and checks one employee's records. `deviceKeys` gives each device's
 * Ed25519 public key; a device found on the server without a key is an issue.
 */
export async function readServerLedger(
  source: LedgerSource,
  employeeId: string,
  deviceKeys: ReadonlyMap<string, Uint8Array> | Record<string, Uint8Array>,
): Promise<LedgerReport> {
  await initSodium();
  const keys = deviceKeys instanceof Map ? deviceKeys : new Map(Object.entries(deviceKeys));
  const docs = await allDocs(source, `st-emp-${employeeId}-records`);
  const issues: string[] = [];
  const byDevice = new Map<string, Array<{ seq: number; bytes: Uint8Array; docId: string }>>();
  const dupes = new Map<string, Set<number>>();
  const dupe = (deviceId: string, seq: number, why: string) => {
    if (!dupes.has(deviceId)) dupes.set(deviceId, new Set());
    dupes.get(deviceId)!.add(seq);
    issues.push(`${deviceId} seq ${seq}: ${why}`);
  };

  for (const doc of docs) {
    const v = validateRecordDoc(doc);
    if (!v.ok) {
      issues.push(`doc ${doc._id}: ${v.error.message}`);
      continue;
    }
    const { envelope } = v.value;
    if (envelope.employeeId !== employeeId) issues.push(`doc ${doc._id}: signed for employee ${envelope.employeeId}`);
    if (doc._conflicts && doc._conflicts.length > 0)
      dupe(envelope.deviceId, envelope.seq, `conflicting revisions ${doc._conflicts.join(', ')}`);
    if (!doc._rev.startsWith('1-'))
      dupe(envelope.deviceId, envelope.seq, `rewritten after its first write (rev ${doc._rev})`);
    const list = byDevice.get(envelope.deviceId) ?? [];
    byDevice.set(envelope.deviceId, list);
    list.push({ seq: envelope.seq, bytes: v.value.bytes, docId: doc._id });
  }

  const devices: DeviceLedger[] = [];
  for (const [deviceId, list] of [...byDevice].sort(([a], [b]) => a.localeCompare(b))) {
    list.sort((a, b) => a.seq - b.seq);
    const seen = new Set<number>();
    for (const r of list) {
      if (seen.has(r.seq)) dupe(deviceId, r.seq, `stored twice (doc ${r.docId})`);
      seen.add(r.seq);
    }
    const seqs = [...seen].sort((a, b) => a - b);
    const gaps = seqGaps(seqs);
    for (const [a, b] of gaps) issues.push(`${deviceId}: seq ${a}..${b} missing`);
    const key = keys.get(deviceId);
    const deviceIssues: string[] = [];
    let chainOk = false;
    let chainIssues: ChainIssue[] = [];
    if (!key) deviceIssues.push(`${deviceId}: no signing key known, chain not verified`);
    else {
      const report = verifyChain(
        list.map((r) => r.bytes),
        { deviceId, deviceSignPublicKey: key },
      );
      // duplicates are reported above with their cause; here only chain breaks
      chainIssues = report.issues.filter((i) => i.type !== 'duplicate');
      chainOk = report.ok && chainIssues.length === 0;
      deviceIssues.push(
        ...chainIssues.filter((i) => i.type !== 'missing').map((i) => `${deviceId}: ${describeIssue(i)}`),
      );
    }
    issues.push(...deviceIssues);
    devices.push({
      deviceId,
      count: list.length,
      maxSeq: seqs.length > 0 ? seqs[seqs.length - 1]! : -1,
      seqs,
      gaps,
      duplicates: [...(dupes.get(deviceId) ?? [])].sort((a, b) => a - b),
      chainOk,
      chainIssues,
      issues: deviceIssues,
    });
  }

  return {
    employeeId,
    count: docs.length,
    maxSeq: devices.reduce((m, d) => Math.max(m, d.maxSeq), -1),
    gaps: devices.flatMap((d) => d.gaps.map(([from, to]) => ({ deviceId: d.deviceId, from, to }))),
    duplicates: [...dupes].flatMap(([deviceId, s]) => [...s].sort((a, b) => a - b).map((seq) => ({ deviceId, seq }))),
    chainOk: devices.length > 0 && devices.every((d) => d.chainOk),
    issues,
    devices,
  };
}

/** Each device's signing key as the server published it at enrollment (admin: GET /_sealtime/api/devices). */
export async function deviceKeysFromServer(
  gatewayUrl: string,
  adminToken: string,
  employeeId: string,
): Promise<Map<string, Uint8Array>> {
  const res = await fetch(
    `${gatewayUrl.replace(/\/+$/, '')}/_sealtime/api/devices?employeeId=${encodeURIComponent(employeeId)}`,
    {
      headers: { authorization: `Bearer ${adminToken}` },
    },
  );
  if (!res.ok) throw new Error(`listing devices of ${employeeId}: HTTP ${res.status}`);
  await initSodium();
  const body = (await res.json()) as { devices: Array<{ deviceId: string; signPublicKey: string }> };
  const out = new Map<string, Uint8Array>();
  for (const d of body.devices) {
    const k = fromBase64(d.signPublicKey);
    if (!k.ok) throw new Error(`device ${d.deviceId}: bad signPublicKey`);
    out.set(d.deviceId, k.value);
  }
  return out;
}
