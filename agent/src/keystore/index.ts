export {
  saveDeviceKeystore,
  unlockDeviceKeystore,
  readDevicePublicInfo,
  DEFAULT_KEYSTORE_FILE,
  type DevicePublicInfo,
  type DeviceSecrets,
  type UnlockedDevice,
} from './device-keystore.js';
export {
  PassphraseWrapper,
  VaultWrapper,
  type SecretWrapper,
  type KeyVault,
  type WrapInfo,
  type PassphraseWrapperOptions,
} from './secret-wrapper.js';
export { KeystoreError, type KeystoreErrorCode } from './keystore-errors.js';
export { FileKeyVault } from './file-key-vault.js';
