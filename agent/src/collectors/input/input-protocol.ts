/**
 * The messages input-hook-child.mjs sends, checked field by field: a message
 * with anything but the known fields (a key code, say) is rejected, so even a
 * faulty child cannot push more than counts into the agent.
 */

export type ChildMessage =
  | { t: 'ready' }
  | { t: 'tick'; k: number; c: number; m: number; w: number }
  | { t: 'error'; code: string; message: string };

/** One second with input, as the parent sees it. */
export interface InputSecond {
  /** Epoch ms when the second's counts arrived (end of the second). */
  at: number;
  keyPresses: number;
  clicks: number;
  mouseMoves: number;
  scrolls: number;
}

// far above any human or hardware rate per second: beyond it the child is broken
const MAX_PER_SECOND = 100_000;

const isCount = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_PER_SECOND;

function hasOnlyKeys(o: object, keys: readonly string[]): boolean {
  const own = Object.keys(o);
  return own.length === keys.length && own.every((k) => keys.includes(k));
}

export function parseChildMessage(raw: unknown): ChildMessage | undefined {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.t) {
    case 'ready':
      return hasOnlyKeys(m, ['t']) ? { t: 'ready' } : undefined;
    case 'tick':
      if (!hasOnlyKeys(m, ['t', 'k', 'c', 'm', 'w'])) return undefined;
      if (!isCount(m.k) || !isCount(m.c) || !isCount(m.m) || !isCount(m.w)) return undefined;
      return { t: 'tick', k: m.k, c: m.c, m: m.m, w: m.w };
    case 'error':
      if (!hasOnlyKeys(m, ['t', 'code', 'message']) || typeof m.code !== 'string' || typeof m.message !== 'string')
        return undefined;
      return { t: 'error', code: m.code.slice(0, 64), message: m.message.slice(0, 200) };
    default:
      return undefined;
  }
}
