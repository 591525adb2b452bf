/**
 * How a simulated device reaches the server: enrollment with its code, and
 * its sealed batches posted through the gateway with the device credential
 * (or written straight into its databases, revisions kept, for benches), in
 * the order the agent's replication sends them.
 */
import { createHash } from 'node:crypto';
import { toBase64 } from '@sealtime/shared';
import { deviceAuthorization } from '@sealtime/agent/src/sync/authorized-fetch.js';
import type { DevicePlan, PersonPlan } from './org-plan.js';
import type { SealedBatch } from './seal-device.js';

/** Writes docs (each with its `_rev`) into a database, keeping their revisions. */
export type DirectWriter = (db: string, docs: ReadonlyArray<Record<string, unknown>>) => Promise<void>;

async function postBulk(
  url: string,
  db: string,
  authorization: string,
  docs: ReadonlyArray<Record<string, unknown>>,
): Promise<void> {
  const res = await fetch(`${url}/${db}/_bulk_docs`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ docs }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${db}/_bulk_docs: ${res.status} ${text.slice(0, 300)}`);
  const rows = JSON.parse(text) as Array<{ id: string; error?: string; reason?: string }>;
  const bad = rows.filter((r) => r.error);
  if (bad.length > 0)
    throw new Error(
      `POST ${db}/_bulk_docs refused ${bad.length} of ${rows.length}: ${bad
        .slice(0, 3)
        .map((r) => `${r.id} ${r.error} ${r.reason ?? ''}`)
        .join('; ')}`,
    );
}

/** CouchDB wire form: the primary key travels as _id. */
const wire = <T extends { id: string }>(d: T): Record<string, unknown> => {
  const { id, ...rest } = d;
  return { _id: id, ...rest };
};

/** A first revision like the one the agent's PouchDB gives a new doc: `1-` + MD5 of its JSON. */
const firstRevision = (doc: Record<string, unknown>): Record<string, unknown> => ({
  ...doc,
  _rev: `1-${createHash('md5').update(JSON.stringify(doc)).digest('hex')}`,
});

/** One sealed batch of a device: its images, then the records naming them (through the gateway, or written directly). */
export async function pushBatch(
  url: string,
  person: PersonPlan,
  device: { deviceId: string; credential: string },
  batch: SealedBatch,
  direct?: DirectWriter,
): Promise<void> {
  if (direct) {
    // images before the records that name them, as the agent's replication sends them
    await direct(
      `st-emp-${person.employeeId}-blobs`,
      batch.blobs.map((b) => firstRevision(wire(b))),
    );
    await direct(
      `st-emp-${person.employeeId}-records`,
      batch.records.map((r) => firstRevision(wire(r.doc))),
    );
    return;
  }
  const auth = deviceAuthorization(device.deviceId, device.credential);
  // images first, like the recorder stores them; 40 a request keeps bodies far below the gateway's limit
  for (let i = 0; i < batch.blobs.length; i += 40)
    await postBulk(url, `st-emp-${person.employeeId}-blobs`, auth, batch.blobs.slice(i, i + 40).map(wire));
  await postBulk(
    url,
    `st-emp-${person.employeeId}-records`,
    auth,
    batch.records.map((r) => wire(r.doc)),
  );
}

/** Enrolls a device with its code, as the agent does, returning the credential it pushes with. */
export async function enroll(
  url: string,
  code: string,
  device: DevicePlan,
): Promise<{ deviceId: string; credential: string }> {
  const res = await fetch(`${url}/_sealtime/api/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      code,
      signPublicKey: toBase64(device.signPublicKey),
      name: device.hostname,
      platform: device.platform,
    }),
  });
  const body = (await res.json()) as { deviceId?: string; deviceCredential?: string; reason?: string };
  if (!res.ok || !body.deviceId || !body.deviceCredential)
    throw new Error(`enrolling ${device.key} failed: ${res.status} ${body.reason ?? ''}`);
  return { deviceId: body.deviceId, credential: body.deviceCredential };
}
