/**
 * glibc malloc settings the agent runs with on Linux. They must be in the
 * environment when the process starts (glibc reads them once), so the
 * headless agent has them on its shebang line and the tray app, started by a
 * desktop entry that cannot be trusted to set them, relaunches itself once
 * with them.
 *
 * Why: a screenshot round runs libvips on threads of its own. Each thread's
 * malloc arena, and heap memory kept after a freed full-screen buffer (glibc
 * raises its mmap threshold after such a free), stayed resident after the
 * round and grew with every round (+40 MB after 3 rounds in a test). Two
 * arenas, and buffers over 128 KB always mmapped (so handed back when freed),
 * keep the agent at its idle size between rounds.
 */
export const AGENT_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
};

/** Set in the relaunched process: never relaunch twice, whatever happened to the settings. */
export const RELAUNCHED_MARK = 'SEALTIME_MALLOC_RELAUNCHED';

export interface RelaunchPlan {
  /** Variables to set before relaunching. */
  env: Record<string, string>;
  /** What to start again: an AppImage's own file, not its mount point (gone once this process exits). */
  execPath: string | undefined;
}

/**
 * Whether the tray app should relaunch itself with the malloc settings: on
 * Linux, when one is missing, and only once. A user's own value for a
 * setting is kept (only missing ones are added).
 */
export function mallocRelaunchPlan(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): RelaunchPlan | null {
  if (platform !== 'linux' || env[RELAUNCHED_MARK]) return null;
  const missing = Object.entries(AGENT_MALLOC_ENV).filter(([k]) => env[k] === undefined);
  if (missing.length === 0) return null;
  return {
    env: { ...Object.fromEntries(missing), [RELAUNCHED_MARK]: '1' },
    execPath: env.APPIMAGE || undefined,
  };
}
