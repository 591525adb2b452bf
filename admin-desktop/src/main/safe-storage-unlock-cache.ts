/**
 * Electron's safeStorage as the unlock cache's cipher (core/unlock-cache.ts):
 * the kept unlock is encrypted by the OS key store, never written otherwise.
 * Call after app ready. Null when the setting is off.
 */
import { safeStorage } from 'electron';
import { join } from 'node:path';
import { UnlockCache, type UnlockCacheCipher } from '../core/unlock-cache.js';
import { osKeyStoreRefusal, unlockCacheSetting } from './unlock-cache-setting.js';

const safeStorageCipher: UnlockCacheCipher = {
  unavailableReason: () =>
    osKeyStoreRefusal({
      available: safeStorage.isEncryptionAvailable(),
      platform: process.platform,
      ...(process.platform === 'linux' ? { backend: safeStorage.getSelectedStorageBackend() } : {}),
    }),
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed)),
};

export function safeStorageUnlockCache(dataDir: string, env: NodeJS.ProcessEnv = process.env): UnlockCache | null {
  const setting = unlockCacheSetting(env);
  if (!setting.on) {
    if (setting.warning) console.warn(setting.warning);
    return null;
  }
  const why = safeStorageCipher.unavailableReason();
  if (why) console.warn(`the unlock is not kept across restarts: ${why}`);
  return new UnlockCache(join(dataDir, 'unlock-cache.json'), safeStorageCipher, { maxAgeMs: setting.maxAgeMs });
}
