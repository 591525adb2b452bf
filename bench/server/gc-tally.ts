/**
 * Every garbage collection of this process, summed by kind between two
 * calls: the round log sets them beside the push cycles, to tell whether a
 * slow round spent its time collecting (V8's marking also slows the code
 * that runs meanwhile, which a CPU profile shows as everything slower).
 */
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';

const KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

/** A 'gc' performance entry's kind (minor, major, incremental, weakcb), or null if Node gave none known. */
export function gcKindOf(entry: PerformanceEntry): string | null {
  return KINDS[(entry as { detail?: { kind?: number } }).detail?.kind ?? -1] ?? null;
}

export type GcSums = Record<string, { count: number; ms: number }>;

export class GcTally {
  private sums: GcSums = {};
  private readonly observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = gcKindOf(e) ?? 'other';
      const s = (this.sums[kind] ??= { count: 0, ms: 0 });
      s.count++;
      s.ms += e.duration;
    }
  });

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** The collections since the last call. */
  take(): GcSums {
    const s = this.sums;
    this.sums = {};
    return s;
  }

  stop(): void {
    this.observer.disconnect();
  }
}

/** `minor 120×/310 ms, major 2×/90 ms`: count and summed pause per kind. */
export function formatGc(s: GcSums): string {
  const parts = Object.entries(s).map(([k, v]) => `${k} ${v.count}×/${Math.round(v.ms)} ms`);
  return parts.length ? parts.join(', ') : 'none';
}
