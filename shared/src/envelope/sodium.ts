/**
 * The one place libsodium is bound. Everything else calls `sodium()` after
 * `initSodium()` resolved once; the primitives themselves are synchronous.
 *
 * Two builds of the same libsodium sit behind one interface:
 * - `native`: sodium-native (N-API prebuilds, loads in Node and Electron's main
 *   process). Several times faster than WebAssembly: no copies into a WASM heap,
 *   and the compiler's assembly for BLAKE2b, ChaCha20 and Ed25519.
 * - `wasm`: libsodium-wrappers-sumo (the sumo build has crypto_pwhash/Argon2id),
 *   used wherever the native addon cannot load (a browser, a missing prebuild).
 * Both produce byte-identical output (Ed25519 signatures are deterministic);
 * sodium-both-bindings.test.ts holds them to it. SEALTIME_SODIUM=wasm|native
 * or `initSodium({ binding })` forces one (tests, the bench).
 * BLAKE2b of the (length, key) pairs registered as public goes through
 * hash-wasm where it is faster than the binding's own (public-blake2b.ts).
 */
/// <reference path="./sodium-native.d.ts" />
import { preparePublicHashers, publicDigest, publicHasher } from './public-blake2b.js';
import { checkedHashKey } from './sodium-inputs.js';
import { nativeSodium, type NativeAddon } from './sodium-native-adapter.js';
import { BASE64_VARIANTS, type Sodium, type SodiumBinding } from './sodium-types.js';
// both builds load on demand: a process running native never instantiates the WebAssembly module (about 12 MB)
type WasmModule = typeof import('libsodium-wrappers-sumo').default;

export { BASE64_VARIANTS, type Sodium, type SodiumBinding, type SodiumKeyPair } from './sodium-types.js';

const bindings: { native?: Sodium | null; wasm?: Sodium } = {};
let loaded: Sodium | undefined;

function wantedBinding(): SodiumBinding | undefined {
  const v = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.SEALTIME_SODIUM;
  return v === 'native' || v === 'wasm' ? v : undefined;
}

/**
 * Loads libsodium once and makes it the one `sodium()` returns: native when it
 * loads, WebAssembly otherwise. `binding` (or SEALTIME_SODIUM) forces one; a
 * forced `native` that cannot load is an error, not a silent fallback.
 * Calling it again with another binding switches (tests compare the two).
 */
export async function initSodium(options: { binding?: SodiumBinding } = {}): Promise<Sodium> {
  const wanted = options.binding ?? wantedBinding();
  await preparePublicHashers();
  if (loaded && (wanted === undefined || loaded.binding === wanted)) return loaded;
  if (wanted !== 'wasm') {
    const native = await loadSodiumBinding('native').catch((e: unknown) => {
      if (wanted === 'native') throw e;
      return undefined;
    });
    if (native) return (loaded = native);
  }
  return (loaded = await loadSodiumBinding('wasm'));
}

/** One binding, loaded without making it the current one (the cross-binding tests seal with one and open with the other). */
export async function loadSodiumBinding(binding: SodiumBinding): Promise<Sodium> {
  await preparePublicHashers();
  if (binding === 'wasm') {
    if (!bindings.wasm) {
      const sodiumModule: WasmModule = (await import('libsodium-wrappers-sumo')).default;
      await sodiumModule.ready;
      const generichash = sodiumModule.crypto_generichash;
      bindings.wasm = Object.assign(Object.create(sodiumModule) as WasmModule, {
        binding: 'wasm' as const,
        base64_variants: BASE64_VARIANTS,
        // libsodium's C code takes 1..15-byte keys, sodium-native refuses them: both refuse, so both bindings agree
        crypto_generichash(hashLength: number, message: string | Uint8Array, key?: string | Uint8Array | null) {
          const k = checkedHashKey(key);
          // this build's BLAKE2b matches hash-wasm's below a few KB and trails it above (public-blake2b.ts)
          if (typeof message !== 'string' && message.length >= 4096) {
            const fast = publicHasher(hashLength, k);
            if (fast) return publicDigest(fast, message);
          }
          return generichash(hashLength, message, k);
        },
      }) as unknown as Sodium;
    }
    return bindings.wasm;
  }
  if (bindings.native === null)
    throw new SodiumUnavailableError('native', 'sodium-native did not load earlier in this process');
  if (!bindings.native) {
    try {
      if (!(globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node)
        throw new Error('not running in Node or Electron');
      const mod = (await import('sodium-native')) as { default?: NativeAddon } & NativeAddon;
      bindings.native = nativeSodium(mod.default ?? mod);
    } catch (e) {
      bindings.native = null;
      throw new SodiumUnavailableError('native', e instanceof Error ? e.message : String(e));
    }
  }
  return bindings.native;
}

export class SodiumNotReadyError extends Error {
  readonly code = 'sodium-not-ready' as const;
  constructor() {
    super('libsodium is not initialised: await initSodium() once before sealing or opening');
  }
}

export class SodiumUnavailableError extends Error {
  readonly code = 'sodium-unavailable' as const;
  constructor(
    readonly binding: SodiumBinding,
    reason: string,
  ) {
    super(`the ${binding} libsodium binding cannot load: ${reason}`);
  }
}

export function sodium(): Sodium {
  if (!loaded) throw new SodiumNotReadyError();
  return loaded;
}
