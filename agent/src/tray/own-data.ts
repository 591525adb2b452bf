/**
 * The privacy centre's "show what was recorded": the employee's key ring
 * (a file chosen in a main-process dialog) is unlocked with the passphrase
 * they typed, and the agent decrypts its own records with those keys. The
 * passphrase and the unlocked keys live for this call only.
 */
import { readFile, stat } from 'node:fs/promises';
import { initSodium, openerKeys, unlockKeyring } from '@sealtime/shared';
import type { ImageInclusion, OwnDataExport } from '../export/export-own-data.js';
import type { IpcResult } from '../ipc/channels.js';
import type { TrayAgent } from './agent-port.js';

const MAX_KEYRING_BYTES = 1024 * 1024;

export async function loadOwnData(agent: Pick<TrayAgent, 'exportOwnData'>, keyringPath: string, passphrase: string, images: ImageInclusion = false): Promise<IpcResult<OwnDataExport>> {
  await initSodium();
  let doc: unknown;
  try {
    const st = await stat(keyringPath);
    if (!st.isFile() || st.size > MAX_KEYRING_BYTES) return { ok: false, error: { code: 'bad-keyring', message: 'the chosen file is not a key ring' } };
    doc = JSON.parse(await readFile(keyringPath, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, error: { code: 'bad-keyring', message: code ? `cannot read the key ring (${code})` : 'the key ring is not JSON' } };
  }
  const unlocked = unlockKeyring(doc, passphrase);
  if (!unlocked.ok) return { ok: false, error: { code: unlocked.error.code, message: `the key ring does not open: ${unlocked.error.message}` } };
  const keyPairs = openerKeys(unlocked.value);
  try {
    return { ok: true, value: await agent.exportOwnData(keyPairs, images) };
  } finally {
    for (const k of keyPairs) k.secretKey.fill(0);
  }
}
