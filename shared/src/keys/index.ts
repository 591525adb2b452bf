export * from './key-errors.js';
export * from './passphrase.js';
export * from './person-keys.js';
export * from './recovery-key.js';
export * from './keyring-document.js';
export * from './keyring.js';
export * from './signed-document.js';
