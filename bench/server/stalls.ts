/**
 * What held a process's event loop, with when: a 10 ms ticker notes every
 * gap over 40 ms, and a GC observer notes every collection over 20 ms. The
 * bench's debug timeline lays them beside the slow push cycles, to tell a
 * server stall (GC or synchronous work) from a load worker's own stall or
 * from I/O (neither loop held, the request still slow).
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { gcKindOf } from './gc-tally.js';

export interface Stall {
  /** Epoch ms when it began. */
  at: number;
  ms: number;
  /** 'loop' for a held event loop; otherwise the GC kind (minor, major, incremental, weakcb). */
  what: string;
}

const TICK_MS = 10;
const LOOP_MIN_MS = 40;
const GC_MIN_MS = 20;

export class StallWatch {
  private stalls: Stall[] = [];
  private readonly timer: NodeJS.Timeout;
  private readonly observer: PerformanceObserver;

  constructor() {
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      const gap = now - last - TICK_MS;
      if (gap > LOOP_MIN_MS) this.stalls.push({ at: performance.timeOrigin + last + TICK_MS, ms: gap, what: 'loop' });
      last = now;
    }, TICK_MS);
    this.timer.unref();
    this.observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.duration < GC_MIN_MS) continue;
        const kind = gcKindOf(e);
        this.stalls.push({
          at: performance.timeOrigin + e.startTime,
          ms: e.duration,
          what: kind ? `gc ${kind}` : 'gc',
        });
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** The stalls since the last call. */
  take(): Stall[] {
    const s = this.stalls;
    this.stalls = [];
    return s;
  }

  stop(): void {
    clearInterval(this.timer);
    this.observer.disconnect();
  }
}
