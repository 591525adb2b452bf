/**
 * Where the agent keeps things, under one data directory (0700):
 *
 *   keys/device-keystore.json   public info + encrypted signing key and credential (0600)
 *   keys/device-keystore.key    the random key that unlocks it, for unattended runs (0600)
 *   keys/server-ca.pem          the CA a self-signed server was enrolled with (optional)
 *   store/                      RxDB on LevelDB: records, blobs, inbox, state
 *   control.sock                the running agent's control socket (0600)
 *
 * Default: $SEALTIME_AGENT_DIR, else $XDG_DATA_HOME/sealtime-agent, else
 * ~/.local/share/sealtime-agent.
 */
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { unlockDeviceKeystore, type UnlockedDevice } from '../keystore/device-keystore.js';
import { FileKeyVault } from '../keystore/file-key-vault.js';
import { KeystoreError } from '../keystore/keystore-errors.js';
import { PassphraseWrapper, VaultWrapper, type SecretWrapper } from '../keystore/secret-wrapper.js';

export const KEY_LABEL = 'device-keystore';

export interface AgentPaths {
  dataDir: string;
  keysDir: string;
  keystore: string;
  serverCa: string;
  store: string;
  controlSocket: string;
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SEALTIME_AGENT_DIR) return resolve(env.SEALTIME_AGENT_DIR);
  if (env.XDG_DATA_HOME) return join(resolve(env.XDG_DATA_HOME), 'sealtime-agent');
  return join(homedir(), '.local', 'share', 'sealtime-agent');
}

export function agentPaths(dataDir: string): AgentPaths {
  const d = resolve(dataDir);
  const keysDir = join(d, 'keys');
  return {
    dataDir: d,
    keysDir,
    keystore: join(keysDir, 'device-keystore.json'),
    serverCa: join(keysDir, 'server-ca.pem'),
    store: join(d, 'store'),
    controlSocket: join(d, 'control.sock'),
  };
}

/** Creates the data directory (0700), tightening one that exists. */
export async function ensureDataDir(paths: AgentPaths): Promise<void> {
  await mkdir(paths.dataDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') await chmod(paths.dataDir, 0o700);
}

/** A passphrase when one is given, else the key file beside the keystore (unattended). */
export function keystoreWrapper(paths: AgentPaths, passphrase?: string): SecretWrapper {
  return passphrase !== undefined
    ? new PassphraseWrapper(passphrase)
    : new VaultWrapper(new FileKeyVault(paths.keysDir), KEY_LABEL);
}

/** Unlocks the keystore with whichever wrapper it was written with. */
export async function unlockAgentKeystore(paths: AgentPaths, passphrase?: string): Promise<UnlockedDevice> {
  try {
    return await unlockDeviceKeystore(paths.keystore, keystoreWrapper(paths, passphrase));
  } catch (err) {
    if (err instanceof KeystoreError && err.code === 'wrong-wrapper' && passphrase === undefined) {
      throw new KeystoreError(
        'wrong-wrapper',
        'this keystore is protected by a passphrase: pass --passphrase-env <VAR>',
      );
    }
    throw err;
  }
}

/** The CA saved at enrollment (PEM), if any. */
export async function readServerCa(paths: AgentPaths): Promise<string | undefined> {
  try {
    await stat(paths.serverCa);
  } catch {
    return undefined;
  }
  return readFile(paths.serverCa, 'utf8');
}
