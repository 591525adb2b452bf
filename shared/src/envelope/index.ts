export {
  initSodium,
  loadSodiumBinding,
  SodiumNotReadyError,
  SodiumUnavailableError,
  type Sodium,
  type SodiumBinding,
} from './sodium.js';
export { registerPublicHash } from './public-blake2b.js';
export * from './errors.js';
export { concatBytes, equalBytes, toHex, utf8, fromUtf8 } from './bytes.js';
export * from './envelope-format.js';
export { keyIdOf, keyIdHex, fingerprint, chainHash, signedDigest, GENESIS_HASH } from './hash.js';
export * from './seal.js';
export { verifyEnvelope, verifyDecoded, type VerifiedEnvelope } from './verify.js';
export * from './open.js';
export { verifyDecodedBatch } from './batch-verify.js';
export * from './chain.js';
export * from './codec.js';
export * from './canonical-json.js';
export { paddedSize, hourOf, HOUR_MS, MIN_PADDED_BYTES } from './sealed-content.js';
