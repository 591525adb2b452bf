/**
 * Where the key that encrypts the device's secrets comes from. The keystore
 * file stores `info` beside the ciphertext (and authenticates it); a wrapper
 * turns info back into the 32-byte key.
 *
 *   PassphraseWrapper   Argon2id (crypto_pwhash) from a passphrase — the CLI
 *   VaultWrapper        a random key kept by an OS key vault (Electron's
 *                       safeStorage implements KeyVault under agent/src/electron)
 */
import { checkPassphrase, derivePassphraseKey, initSodium, newPwhashParams, type PwhashParams } from '@sealtime/shared';
import { KeystoreError } from './keystore-errors.js';

/** JSON-safe parameters stored in the keystore file. */
export type WrapInfo = { kind: string } & Record<string, unknown>;

export interface SecretWrapper {
  readonly kind: string;
  /** A key for a new file, and the parameters needed to get it again. */
  createKey(): Promise<{ info: WrapInfo; key: Uint8Array }>;
  /** The key for an existing file; throws KeystoreError. */
  recoverKey(info: WrapInfo): Promise<Uint8Array>;
}

export interface PassphraseWrapperOptions {
  /** Argon2id passes and memory; defaults are the shared key-ring settings (3, 64 MiB). */
  opsLimit?: number;
  memLimitBytes?: number;
}

export class PassphraseWrapper implements SecretWrapper {
  readonly kind = 'passphrase';
  // the passphrase lives only in this closure: not enumerable, not printed by util.inspect
  readonly #passphrase: string;

  constructor(
    passphrase: string,
    private readonly options: PassphraseWrapperOptions = {},
  ) {
    this.#passphrase = passphrase;
  }

  async createKey(): Promise<{ info: WrapInfo; key: Uint8Array }> {
    await initSodium();
    const weak = checkPassphrase(this.#passphrase);
    if (weak) throw new KeystoreError('weak-passphrase', weak.message);
    const params = newPwhashParams(this.options.opsLimit, this.options.memLimitBytes);
    const key = this.derive(params);
    return { info: { kind: this.kind, ...params }, key };
  }

  async recoverKey(info: WrapInfo): Promise<Uint8Array> {
    await initSodium();
    if (info.kind !== this.kind)
      throw new KeystoreError('wrong-wrapper', `this keystore is unlocked by '${info.kind}', not by a passphrase`);
    const { kind: _kind, ...params } = info;
    return this.derive(params as unknown as PwhashParams);
  }

  private derive(params: PwhashParams): Uint8Array {
    if (typeof this.#passphrase !== 'string')
      throw new KeystoreError('wrong-passphrase', 'the passphrase must be text');
    const key = derivePassphraseKey(this.#passphrase, params);
    // bounded parameters: a tampered file can neither weaken Argon2 nor demand gigabytes
    if (!key.ok) throw new KeystoreError('corrupt', `key derivation parameters rejected: ${key.error.message}`);
    return key.value;
  }
}

/** An OS key vault holding random 32-byte keys by label. */
export interface KeyVault {
  readonly name: string;
  save(label: string, key: Uint8Array): Promise<void>;
  /** undefined when the vault has no key under this label. */
  load(label: string): Promise<Uint8Array | undefined>;
}

export class VaultWrapper implements SecretWrapper {
  readonly kind = 'vault';
  constructor(
    private readonly vault: KeyVault,
    private readonly label = 'sealtime-device-keystore',
  ) {}

  async createKey(): Promise<{ info: WrapInfo; key: Uint8Array }> {
    const s = await initSodium();
    const key = s.randombytes_buf(32);
    await this.vault.save(this.label, key);
    return { info: { kind: this.kind, vault: this.vault.name, label: this.label }, key };
  }

  async recoverKey(info: WrapInfo): Promise<Uint8Array> {
    if (info.kind !== this.kind)
      throw new KeystoreError(
        'wrong-wrapper',
        `this keystore is unlocked by '${info.kind}', not by the ${this.vault.name} vault`,
      );
    const label = typeof info.label === 'string' ? info.label : this.label;
    const key = await this.vault.load(label);
    if (!key || key.length !== 32)
      throw new KeystoreError(
        'key-unavailable',
        `the ${this.vault.name} vault has no key '${label}' for this keystore`,
      );
    return key;
  }
}
