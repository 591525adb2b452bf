/**
 * What the Status channel answers (channels.ts). Its own file because the
 * renderer's views read it while the channel contract names their types:
 * in channels.ts the two would import each other.
 */
import type { TrayAgentStatus } from '../tray/agent-port.js';

export interface StatusSnapshot {
  app: { version: string; phase: 'not-enrolled' | 'starting' | 'failed' | 'running'; error: string | null };
  agent: TrayAgentStatus | null;
  now: number;
}
