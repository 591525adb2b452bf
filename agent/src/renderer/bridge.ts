/**
 * The pages' only way out: window.sealtimeAgent, the preload's six calls
 * (ipc/channels.ts AgentBridge). Tests hand the components a bridge of their
 * own; the entries pass this one.
 */
import type { AgentBridge } from '../ipc/channels.js';

declare global {
  interface Window {
    sealtimeAgent: AgentBridge;
  }
}

export type { AgentBridge };

export const windowBridge = (): AgentBridge => window.sealtimeAgent;

/** A call that rejected (the bridge gone, main restarting) as the same result shape a refusal has. */
export async function settle<T>(
  call: () => Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }> {
  try {
    return await call();
  } catch (err) {
    return { ok: false, error: { code: 'unreachable', message: err instanceof Error ? err.message : String(err) } };
  }
}
