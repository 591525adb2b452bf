/**
 * Auto-lock after inactivity: the keys leave memory when nobody has touched
 * the app for a while. Pure timer logic (the clock and timers are passed in),
 * used by the shell with the page's input events in both transports; the
 * Electron shell also locks on the OS's screen lock and suspend.
 */
export interface IdleLockOptions {
  timeoutMs: number;
  onIdle: () => void;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

export interface IdleLock {
  /** Input seen: the countdown starts again. */
  touch(): void;
  stop(): void;
}

export const DEFAULT_IDLE_LOCK_MS = 15 * 60_000;

export function createIdleLock(o: IdleLockOptions): IdleLock {
  const now = o.now ?? Date.now;
  const setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = o.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  let last = now();
  let timer: unknown = null;
  let stopped = false;
  // one timer re-armed for the time left, not one per input event
  const arm = (ms: number) => {
    timer = setTimer(check, ms);
  };
  const check = () => {
    timer = null;
    if (stopped) return;
    const left = last + o.timeoutMs - now();
    if (left <= 0) {
      stopped = true;
      o.onIdle();
    } else arm(left);
  };
  arm(o.timeoutMs);
  return {
    touch() {
      last = now();
    },
    stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
  };
}
