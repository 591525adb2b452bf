/**
 * Test support: a temp store, a device identity and recipient key pairs.
 * Real LevelDB in a temp directory; every helper's cleanup removes what it made.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64, initSodium, type BoxKeyPair, type DeviceIdentity, type RecipientRole } from '@sealtime/shared';
import { openAgentStore, type AgentStore } from '../store/agent-store.js';
import { StaticRecipientDirectory } from './recipients.js';

export interface Keys {
  device: DeviceIdentity;
  roles: Record<RecipientRole, BoxKeyPair>;
}

export async function makeKeys(deviceId = 'dev-0123456789abcdef0123', employeeId = 'emp-1'): Promise<Keys> {
  const s = await initSodium();
  const sign = s.crypto_sign_keypair();
  const box = () => {
    const k = s.crypto_box_keypair();
    return { publicKey: k.publicKey, secretKey: k.privateKey };
  };
  return {
    device: { deviceId, employeeId, signPublicKey: sign.publicKey, signSecretKey: sign.privateKey },
    roles: { organisation: box(), team: box(), hr: box(), employee: box() },
  };
}

export function directoryOf(keys: Keys): StaticRecipientDirectory {
  const r = keys.roles;
  return new StaticRecipientDirectory({
    organisation: r.organisation.publicKey,
    team: r.team.publicKey,
    hr: r.hr.publicKey,
    employee: r.employee.publicKey,
  });
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every stored envelope of a device, in seq order. */
export async function storedEnvelopes(
  store: AgentStore,
  deviceId: string,
): Promise<{ seqs: number[]; envelopes: Uint8Array[] }> {
  const docs = await store.records.find({ selector: { deviceId }, sort: [{ deviceId: 'asc' }, { seq: 'asc' }] }).exec();
  const envelopes = docs.map((d) => {
    const b = fromBase64(d.envelope);
    if (!b.ok) throw new Error(b.error.message);
    return b.value;
  });
  return { seqs: docs.map((d) => d.seq), envelopes };
}

export { openAgentStore };

/** Serialises a key for a child process's environment (test only). */
export const b64 = (u: Uint8Array): string => Buffer.from(u).toString('base64');
export const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
