/**
 * The privacy centre's "show what was recorded": the employee's key ring is
 * unlocked with the passphrase they typed, and the agent decrypts its own
 * records with those keys. The ring comes from the employee's inbox (the
 * admin put it there, wrapped by their passphrase: the server never sees it
 * open), or from a file chosen in a main-process dialog for older set-ups.
 * The passphrase and the unlocked keys live for this call only.
 */
import { readFile, stat } from 'node:fs/promises';
import { initSodium, openerKeys, unlockKeyring } from '@sealtime/shared';
import type { ImageInclusion, OwnDataExport } from '../export/export-own-data.js';
import type { IpcResult } from '../ipc/channels.js';
import type { TrayAgent } from './agent-port.js';

const MAX_KEYRING_BYTES = 1024 * 1024;

/** A key ring file's JSON, or why it cannot be one. */
export async function readKeyringFile(keyringPath: string): Promise<IpcResult<unknown>> {
  try {
    const st = await stat(keyringPath);
    if (!st.isFile() || st.size > MAX_KEYRING_BYTES)
      return { ok: false, error: { code: 'bad-keyring', message: 'the chosen file is not a key ring' } };
    return { ok: true, value: JSON.parse(await readFile(keyringPath, 'utf8')) as unknown };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      ok: false,
      error: { code: 'bad-keyring', message: code ? `cannot read the key ring (${code})` : 'the key ring is not JSON' },
    };
  }
}

/** The ring to open: the chosen file when there is one, else the one in the employee's inbox. */
export async function ownKeyring(
  agent: Pick<TrayAgent, 'ownKeyring'>,
  keyringPath: string | undefined,
): Promise<IpcResult<unknown>> {
  if (keyringPath) return readKeyringFile(keyringPath);
  const doc = await agent.ownKeyring();
  if (doc === null || doc === undefined)
    return {
      ok: false,
      error: {
        code: 'no-keyring',
        message:
          'your key ring has not reached this computer yet (your admin sends it when your account is set up); if you were given a key ring file, choose it',
      },
    };
  return { ok: true, value: doc };
}

export async function loadOwnData(
  agent: Pick<TrayAgent, 'exportOwnData'>,
  keyring: unknown,
  passphrase: string,
  images: ImageInclusion = false,
): Promise<IpcResult<OwnDataExport>> {
  await initSodium();
  const unlocked = unlockKeyring(keyring, passphrase);
  if (!unlocked.ok)
    return {
      ok: false,
      error: { code: unlocked.error.code, message: `the key ring does not open: ${unlocked.error.message}` },
    };
  const keyPairs = openerKeys(unlocked.value);
  try {
    return { ok: true, value: await agent.exportOwnData(keyPairs, images) };
  } finally {
    for (const k of keyPairs) k.secretKey.fill(0);
  }
}
