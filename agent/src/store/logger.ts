/**
 * The agent's logger: pino to stderr (stdout belongs to CLI output). Callers
 * log ids, counts and error codes — never payloads, keys or credentials.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createAgentLogger(name = 'sealtime-agent'): Logger {
  return pino({ name, level: process.env.SEALTIME_LOG_LEVEL ?? 'info' }, pino.destination(2));
}

/** A logger that drops everything: tests and library callers that bring none. */
export const silentLogger: Logger = pino({ level: 'silent' });
