/**
 * The one place libsodium is bound. Everything else calls `sodium()` after
 * `initSodium()` resolved once: the WebAssembly module loads asynchronously,
 * the primitives themselves are synchronous and fast.
 *
 * The sumo build is libsodium-wrappers with crypto_pwhash (Argon2id) compiled in;
 * the slim build leaves it out and keys must be passphrase-wrapped.
 */
import sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

let loaded: Sodium | undefined;

export async function initSodium(): Promise<Sodium> {
  if (!loaded) {
    await sodiumModule.ready;
    loaded = sodiumModule;
  }
  return loaded;
}

export class SodiumNotReadyError extends Error {
  readonly code = 'sodium-not-ready' as const;
  constructor() {
    super('libsodium is not initialised: await initSodium() once before sealing or opening');
  }
}

export function sodium(): Sodium {
  if (!loaded) throw new SodiumNotReadyError();
  return loaded;
}
