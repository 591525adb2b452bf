/**
 * Input too regular to be human, judged from the per-second counts the input
 * hook sends (no event times, positions or keys exist to judge from, by
 * design). Two patterns:
 *
 * - periodic: mouse-only input seconds spaced so evenly that the coefficient of
 *   variation of their spacing stays under `maxIntervalCv` for `minEvents` in
 *   a row (a jiggler nudging the pointer every N seconds);
 * - constant rate: a run of `minRunSeconds` consecutive active seconds in which
 *   every kind of input present has a near-constant count per second (an
 *   auto-clicker, a jiggler moving every second, a key repeater).
 *
 * People are irregular: their spacing and per-second counts vary far more.
 */
import type { InputSecond } from '../input/input-protocol.js';
import { makeFlag, type IntegrityFlag } from './integrity-flag.js';
import { coefficientOfVariation, intervals, mean } from './statistics.js';

export interface RegularityOptions {
  /** How far back the monitor keeps seconds (default 10 min). */
  windowMs: number;
  minEvents: number;
  maxIntervalCv: number;
  /** Periodic check ignores spacing below this (continuous use is 1 s apart). */
  minMeanIntervalMs: number;
  minRunSeconds: number;
  maxCountCv: number;
  /** No second flag within this time after one (default 10 min). */
  cooldownMs: number;
}

export const DEFAULT_REGULARITY: RegularityOptions = {
  windowMs: 600_000,
  minEvents: 10,
  maxIntervalCv: 0.1,
  minMeanIntervalMs: 2000,
  minRunSeconds: 30,
  maxCountCv: 0.1,
  cooldownMs: 600_000,
};

export interface Finding {
  detail: string;
  start: number;
  end: number;
}

const KINDS = ['keyPresses', 'clicks', 'mouseMoves', 'scrolls'] as const;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** The most recent `minEvents` mouse-only seconds, spaced evenly. */
export function detectPeriodicInput(
  seconds: readonly InputSecond[],
  o: RegularityOptions = DEFAULT_REGULARITY,
): Finding | undefined {
  const mouseOnly = seconds.filter((s) => s.keyPresses === 0);
  if (mouseOnly.length < o.minEvents) return undefined;
  const recent = mouseOnly.slice(-o.minEvents);
  const gaps = intervals(recent.map((s) => s.at));
  const m = mean(gaps);
  const cv = coefficientOfVariation(gaps);
  if (!(m >= o.minMeanIntervalMs) || !(cv < o.maxIntervalCv)) return undefined;
  const first = recent[0]!;
  const last = recent[recent.length - 1]!;
  return {
    detail: `mouse-only input every ${fmt(m / 1000)} s (variation ${fmt(cv * 100)} %) ${recent.length} times in a row: mouse jiggler suspected`,
    start: first.at - 1000,
    end: last.at,
  };
}

/** The trailing run of consecutive active seconds with near-constant counts. */
export function detectConstantRate(
  seconds: readonly InputSecond[],
  o: RegularityOptions = DEFAULT_REGULARITY,
): Finding | undefined {
  if (seconds.length < o.minRunSeconds) return undefined;
  // consecutive: each second follows the previous within 1.5 s
  let from = seconds.length - 1;
  while (from > 0 && seconds[from]!.at - seconds[from - 1]!.at <= 1500) from -= 1;
  const run = seconds.slice(from);
  if (run.length < o.minRunSeconds) return undefined;
  const recent = run.slice(-o.minRunSeconds);
  const present = KINDS.filter((k) => recent.some((s) => s[k] > 0));
  if (present.length === 0) return undefined;
  const cvs = present.map((k) => coefficientOfVariation(recent.map((s) => s[k])));
  if (!cvs.every((cv) => cv < o.maxCountCv)) return undefined;
  const rates = present.map((k) => `${fmt(mean(recent.map((s) => s[k])))} ${k}/s`).join(', ');
  const what = present.includes('clicks')
    ? 'auto-clicker'
    : present.includes('keyPresses')
      ? 'key repeater'
      : 'mouse jiggler';
  return {
    detail: `${rates} for ${recent.length} s without variation: ${what} suspected`,
    start: recent[0]!.at - 1000,
    end: recent[recent.length - 1]!.at,
  };
}

/** Feeds on InputCollector seconds; flags a pattern once per cool-down. */
export class InputRegularityMonitor {
  private readonly seconds: InputSecond[] = [];
  private lastFlagAt = -Infinity;
  private readonly options: RegularityOptions;

  constructor(options: Partial<RegularityOptions> = {}) {
    this.options = { ...DEFAULT_REGULARITY, ...options };
  }

  add(second: InputSecond): IntegrityFlag | undefined {
    this.seconds.push(second);
    const horizon = second.at - this.options.windowMs;
    while (this.seconds.length > 0 && this.seconds[0]!.at < horizon) this.seconds.shift();
    if (second.at - this.lastFlagAt < this.options.cooldownMs) return undefined;
    const found = detectConstantRate(this.seconds, this.options) ?? detectPeriodicInput(this.seconds, this.options);
    if (!found) return undefined;
    this.lastFlagAt = second.at;
    return makeFlag('synthetic-input', second.at, found.detail, { start: found.start, end: found.end });
  }
}
