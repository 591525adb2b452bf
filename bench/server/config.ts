/**
 * The load, from flags (`npm run bench:server -- --agents 100`) or the
 * matching BENCH_* environment variables; defaults are the load.
 */
import { parseArgs } from 'node:util';

export interface LoadConfig {
  /** Simulated live agents (one device of one employee each). */
  agents: number;
  /** Worker processes the agents are spread over. */
  workers: number;
  /** Steady phase length. */
  durationS: number;
  /** Each agent pushes one record this often. */
  intervalS: number;
  /** Records each agent has queued when the burst starts. */
  backlog: number;
  /** Push batch size (the real agent's records replication uses 100). */
  batch: number;
  /** Employees per team (teams add a consolidation route, as in a real org). */
  teamSize: number;
  /** Which runs: the gateway, straight to the engine, or both. */
  modes: Array<'gateway' | 'direct'>;
  /** Write a CPU profile of the server process during the gateway's steady phase. */
  profile: boolean;
}

const SPEC = {
  agents: { env: 'BENCH_AGENTS', def: 500 },
  workers: { env: 'BENCH_WORKERS', def: 2 },
  'duration-s': { env: 'BENCH_DURATION_S', def: 60 },
  'interval-s': { env: 'BENCH_INTERVAL_S', def: 10 },
  backlog: { env: 'BENCH_BACKLOG', def: 50 },
  batch: { env: 'BENCH_BATCH', def: 100 },
  'team-size': { env: 'BENCH_TEAM_SIZE', def: 20 },
} as const;

function positive(name: string, raw: string | undefined, def: number): number {
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got ${JSON.stringify(raw)}`);
  return n;
}

export function loadConfig(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): LoadConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.keys(SPEC).map((k) => [k, { type: 'string' as const }])),
      modes: { type: 'string' },
      profile: { type: 'boolean' },
    },
    strict: true,
  });
  const flags = values as Record<string, string | boolean | undefined>;
  const get = (k: keyof typeof SPEC): number => positive(k, (flags[k] as string | undefined) ?? env[SPEC[k].env], SPEC[k].def);
  const modesRaw = ((values.modes as string | undefined) ?? env.BENCH_MODES ?? 'gateway,direct').split(',').map((m) => m.trim());
  const modes = modesRaw.filter((m): m is 'gateway' | 'direct' => m === 'gateway' || m === 'direct');
  if (modes.length !== modesRaw.length || modes.length === 0) throw new Error('--modes takes gateway, direct or gateway,direct');
  const cfg: LoadConfig = {
    agents: Math.floor(get('agents')),
    workers: Math.floor(get('workers')),
    durationS: get('duration-s'),
    intervalS: get('interval-s'),
    backlog: Math.floor(get('backlog')),
    batch: Math.floor(get('batch')),
    teamSize: Math.floor(get('team-size')),
    modes,
    profile: (values.profile as boolean | undefined) ?? env.BENCH_PROFILE === '1',
  };
  cfg.workers = Math.min(cfg.workers, cfg.agents);
  return cfg;
}

/** Records each agent pushes during the steady phase (the schedule's upper bound). */
export function steadyRecordsPerAgent(cfg: LoadConfig): number {
  return Math.ceil(cfg.durationS / cfg.intervalS) + 1;
}
