/**
 * bench:agent knobs, from BENCH_AGENT_* environment variables; the defaults
 * are the configuration (5 minutes of steady state, one week offline).
 */
export interface AgentBenchConfig {
  /** Steady-state sampling window after the warm-up, seconds. */
  steadyS: number;
  /** Warm-up before sampling starts (tsx compile, first inbox pass, first samples). */
  warmupS: number;
  /** Also run the agent with every capture switched off by policy, as the floor (same window). */
  floor: boolean;
  /** Days in the offline week, and how many of them are working days. */
  days: number;
  workDays: number;
  /** Drain rounds; each round runs both replicators, alternating which goes first. */
  rounds: number;
  /** Seed of the backlog generator, so every run drains the same week. */
  seed: number;
  /** Run the steady-state agents with --cpu-prof and print where the window's CPU went. */
  profile: boolean;
  /** Screenshots per hour in the customer-policy run (theirs is 6; more puts several shots in the window). */
  shotsPerHour: number;
  /** Which phases run: steady (default policy, and the floor), customer (screenshots + titles), drain. */
  phases: Array<'steady' | 'customer' | 'drain'>;
}

function num(name: string, def: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min}, not '${raw}'`);
  return n;
}

export function loadConfig(): AgentBenchConfig {
  const phases = (process.env.BENCH_AGENT_PHASES ?? 'steady,customer,drain')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const p of phases)
    if (p !== 'steady' && p !== 'customer' && p !== 'drain')
      throw new Error(`BENCH_AGENT_PHASES: unknown phase '${p}' (steady, customer, drain)`);
  const days = Math.round(num('BENCH_AGENT_DAYS', 7, 1));
  const cfg: AgentBenchConfig = {
    steadyS: num('BENCH_AGENT_STEADY_S', 300, 5),
    warmupS: num('BENCH_AGENT_WARMUP_S', 20, 0),
    floor: (process.env.BENCH_AGENT_FLOOR ?? '1') !== '0',
    days,
    workDays: Math.min(days, Math.round(num('BENCH_AGENT_WORK_DAYS', 5, 1))),
    rounds: Math.round(num('BENCH_AGENT_ROUNDS', 2, 1)),
    seed: Math.round(num('BENCH_AGENT_SEED', 20260302, 0)),
    profile: process.env.BENCH_AGENT_PROFILE === '1',
    shotsPerHour: Math.round(num('BENCH_AGENT_SHOTS_PER_HOUR', 60, 1)),
    phases: phases as AgentBenchConfig['phases'],
  };
  return cfg;
}
