/**
 * Electron's safeStorage as the OsCipher of SealedKeyVault: the key that
 * unlocks the device keystore (signing key, device credential) is encrypted
 * by the OS key store. Refuses, never falls back to plaintext, when the store
 * is unavailable or is Chromium's "basic_text" on Linux. Call after app ready.
 */
import { safeStorage } from 'electron';
import { SealedKeyVault, safeStorageRefusal, type OsCipher } from '../tray/sealed-key-vault.js';

export const safeStorageCipher: OsCipher = {
  unavailableReason: () =>
    safeStorageRefusal({
      available: safeStorage.isEncryptionAvailable(),
      platform: process.platform,
      ...(process.platform === 'linux' ? { backend: safeStorage.getSelectedStorageBackend() } : {}),
    }),
  encrypt: (plain) => safeStorage.encryptString(plain),
  decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed)),
};

export function safeStorageVault(keysDir: string): SealedKeyVault {
  return new SealedKeyVault(keysDir, safeStorageCipher, 'electron-safe-storage');
}
