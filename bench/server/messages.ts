/** What the bench process and its load workers say to each other over IPC. */
import type { Mode } from './config.js';
import type { Stall } from './stalls.js';

export type { Mode };

export type RequestKind = 'all-docs' | 'bulk-docs' | 'changes' | 'longpoll';

export interface AgentSpec {
  employeeId: string;
  deviceId: string;
}

export interface PhaseSamples {
  /** Push cycle latency (ms): from when the oldest record of the batch was due to the engine's acknowledgement. */
  cycles: number[];
  /** When each of those cycles' oldest record was due (epoch ms), for the timeline. */
  cycleDue: number[];
  /** Latency per request (ms), by endpoint; longpolls are not timed (they are meant to wait). */
  requests: Record<Exclude<RequestKind, 'longpoll'>, number[]>;
  /** Records acknowledged `ok` by _bulk_docs. */
  records: number;
  errors: number;
  errorExamples: string[];
  /** Epoch ms (fractional) of the first request sent and the last answer received. */
  firstStart: number;
  lastEnd: number;
}

export type ToWorker =
  /** Seal `recordsPerAgent` distinct records per agent for each mode (both modes write into the same databases). */
  | { type: 'init'; agents: AgentSpec[]; recordsPerAgent: number; modes: Mode[] }
  | { type: 'connect'; mode: Mode; baseUrl: string; authorizations: string[]; batch: number }
  | { type: 'burst'; mode: Mode; records: number }
  | { type: 'steady'; mode: Mode; startAt: number; durationMs: number; intervalMs: number }
  | { type: 'disconnect' }
  | { type: 'exit' };

export interface LongpollStats {
  /** Longpolls answered (after a change or the server's timeout) and re-sent. */
  answered: number;
  /** Longpolls the client gave up on after its own timeout (the engine holds them forever). */
  clientTimeouts: number;
  errors: number;
  errorExamples: string[];
}

export type FromWorker =
  | { type: 'ready'; sealMs: number }
  | { type: 'connected'; samples: PhaseSamples }
  | { type: 'burst-done'; samples: PhaseSamples }
  /** stalls: the worker's own, while the round ran (BENCH_DEBUG only). */
  | {
      type: 'steady-done';
      samples: PhaseSamples;
      stalls: Stall[];
      /** the worker's CPU (all threads) over the phase */ cpuMs: number;
      /** idle longpolls answered meanwhile, per mode */ longpolls: Partial<Record<Mode, number>>;
    }
  | { type: 'disconnected'; longpoll: Partial<Record<Mode, LongpollStats>> }
  | { type: 'failed'; message: string };

export function emptySamples(): PhaseSamples {
  return {
    cycles: [],
    cycleDue: [],
    requests: { 'all-docs': [], 'bulk-docs': [], changes: [] },
    records: 0,
    errors: 0,
    errorExamples: [],
    firstStart: Infinity,
    lastEnd: -Infinity,
  };
}

export function emptyLongpoll(): LongpollStats {
  return { answered: 0, clientTimeouts: 0, errors: 0, errorExamples: [] };
}

export function mergeLongpoll(all: readonly LongpollStats[]): LongpollStats {
  return all.reduce<LongpollStats>(
    (acc, l) => ({
      answered: acc.answered + l.answered,
      clientTimeouts: acc.clientTimeouts + l.clientTimeouts,
      errors: acc.errors + l.errors,
      errorExamples: [...acc.errorExamples, ...l.errorExamples].slice(0, 5),
    }),
    emptyLongpoll(),
  );
}

export function mergeSamples(all: readonly PhaseSamples[]): PhaseSamples {
  const out = emptySamples();
  for (const s of all) {
    out.cycles.push(...s.cycles);
    out.cycleDue.push(...s.cycleDue);
    for (const k of Object.keys(out.requests) as Array<keyof PhaseSamples['requests']>)
      out.requests[k].push(...s.requests[k]);
    out.records += s.records;
    out.errors += s.errors;
    out.errorExamples.push(...s.errorExamples.slice(0, Math.max(0, 5 - out.errorExamples.length)));
    out.firstStart = Math.min(out.firstStart, s.firstStart);
    out.lastEnd = Math.max(out.lastEnd, s.lastEnd);
  }
  return out;
}
