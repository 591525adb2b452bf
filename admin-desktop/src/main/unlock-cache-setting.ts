/**
 * Whether the desktop app keeps an unlock across restarts, and for how long:
 * off unless IT turns it on per machine with SEALTIME_ADMIN_UNLOCK_CACHE_HOURS
 * (1–24). Off by default because the passphrase guards everyone's records: a
 * reviewer who quits the app expects it locked, and whoever opens the same OS
 * account next should not find the keys open. Lock, sign-out and the idle
 * lock wipe it anyway. No electron import: tested as plain Node.
 */
export const UNLOCK_CACHE_ENV = 'SEALTIME_ADMIN_UNLOCK_CACHE_HOURS';
export const MAX_UNLOCK_CACHE_HOURS = 24;

export type UnlockCacheSetting = { on: false; warning?: string } | { on: true; maxAgeMs: number };

export function unlockCacheSetting(env: Readonly<Record<string, string | undefined>>): UnlockCacheSetting {
  const raw = env[UNLOCK_CACHE_ENV]?.trim();
  if (raw === undefined || raw === '' || raw === '0') return { on: false };
  const hours = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !(hours > 0) || hours > MAX_UNLOCK_CACHE_HOURS) {
    return {
      on: false,
      warning: `${UNLOCK_CACHE_ENV}='${raw}' is not a number of hours from 0 to ${MAX_UNLOCK_CACHE_HOURS}: the unlock is not kept across restarts`,
    };
  }
  return { on: true, maxAgeMs: Math.round(hours * 3_600_000) };
}

/**
 * Why Electron's safeStorage must not be used now, or null: no key store, or
 * on Linux Chromium's 'basic_text' fallback (a fixed, public key: no
 * protection at all), in which case nothing is kept.
 */
export function osKeyStoreRefusal(info: { available: boolean; platform: string; backend?: string }): string | null {
  if (!info.available) return 'the operating system key store is not available';
  if (info.platform === 'linux' && (info.backend === 'basic_text' || info.backend === 'unknown'))
    return `the operating system key store is not usable (backend '${info.backend}')`;
  return null;
}
