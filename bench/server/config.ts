/**
 * The load, from flags (`npm run bench:server -- --agents 100`) or the
 * matching BENCH_* environment variables; defaults are the load.
 *
 * Both modes run against one server in one run, interleaved in time so the
 * noise of a shared machine falls on both alike: every agent has a client
 * through the gateway and a client straight to the engine, both connected
 * for the whole run; the steady phase is `rounds` rounds of
 * `roundSeconds(cfg)` each in ABBA order (gateway, direct, direct, gateway,
 * …; BENCH_FIRST=direct mirrors it), one mode pushing per round. `durationS`
 * is the steady time per mode, summed over its rounds. Before the rounds,
 * each mode pushes `warmupS` untimed (the order's second mode first), so the
 * first timed round does not also carry the server's settling after the
 * bursts: the first minute of steady load after them is slower, the
 * gateway's most (README, bench:server). Rounds of one push interval (12
 * of 10 s by default) alternate the modes often enough that the shared
 * machine's load swings, which last tens of seconds, fall on both.
 */
import { parseArgs } from 'node:util';

export type Mode = 'gateway' | 'direct';

export interface LoadConfig {
  /** Simulated live agents (one device of one employee each). */
  agents: number;
  /** Worker processes the agents are spread over. */
  workers: number;
  /** Steady push time per mode, summed over that mode's rounds. */
  durationS: number;
  /** Steady rounds of both modes together (even: ABBA pairs); each mode pushes in half of them. */
  rounds: number;
  /** Each agent pushes one record this often. */
  intervalS: number;
  /** Untimed steady push per mode after the burst, before the rounds (0: none). */
  warmupS: number;
  /** Records each agent has queued when the burst starts. */
  backlog: number;
  /** Push batch size (the real agent's records replication uses 100). */
  batch: number;
  /** Employees per team (teams add a consolidation route, as in a real org). */
  teamSize: number;
  /** Which modes: the gateway, straight to the engine, or both. */
  modes: Mode[];
  /** Write a CPU profile of the server process during the gateway's steady rounds. */
  profile: boolean;
  /** Apache CouchDB node URLs with admin credentials (`--couchdb-url`, repeatable; BENCH_COUCHDB_URL space-separated); none: the embedded engine. */
  couchdbUrls: string[];
}

const SPEC = {
  agents: { env: 'BENCH_AGENTS', def: 500 },
  workers: { env: 'BENCH_WORKERS', def: 2 },
  'duration-s': { env: 'BENCH_DURATION_S', def: 60 },
  rounds: { env: 'BENCH_ROUNDS', def: 12 },
  'interval-s': { env: 'BENCH_INTERVAL_S', def: 10 },
  'warmup-s': { env: 'BENCH_WARMUP_S', def: 30 },
  backlog: { env: 'BENCH_BACKLOG', def: 50 },
  batch: { env: 'BENCH_BATCH', def: 100 },
  'team-size': { env: 'BENCH_TEAM_SIZE', def: 20 },
} as const;

function positive(name: string, raw: string | undefined, def: number): number {
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  const ok = name === 'warmup-s' ? n >= 0 : n > 0; // no warm-up is a choice; no agents is not
  if (!Number.isFinite(n) || !ok)
    throw new Error(
      `--${name} must be a ${name === 'warmup-s' ? 'non-negative' : 'positive'} number, got ${JSON.stringify(raw)}`,
    );
  return n;
}

export function loadConfig(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): LoadConfig {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...Object.fromEntries(Object.keys(SPEC).map((k) => [k, { type: 'string' as const }])),
      modes: { type: 'string' },
      profile: { type: 'boolean' },
      'couchdb-url': { type: 'string', multiple: true },
    },
    strict: true,
  });
  const flags = values as Record<string, string | boolean | undefined>;
  const get = (k: keyof typeof SPEC): number =>
    positive(k, (flags[k] as string | undefined) ?? env[SPEC[k].env], SPEC[k].def);
  const modesRaw = ((values.modes as string | undefined) ?? env.BENCH_MODES ?? 'gateway,direct')
    .split(',')
    .map((m) => m.trim());
  const modes = modesRaw.filter((m): m is Mode => m === 'gateway' || m === 'direct');
  if (modes.length !== modesRaw.length || modes.length === 0)
    throw new Error('--modes takes gateway, direct or gateway,direct');
  const rounds = get('rounds');
  // each ABBA pair gives both modes one round: an odd count would give one mode more steady time than the other
  if (!Number.isInteger(rounds) || rounds % 2 !== 0)
    throw new Error(`--rounds must be an even whole number (ABBA pairs), got ${rounds}`);
  const cfg: LoadConfig = {
    agents: Math.floor(get('agents')),
    workers: Math.floor(get('workers')),
    durationS: get('duration-s'),
    rounds,
    intervalS: get('interval-s'),
    warmupS: get('warmup-s'),
    backlog: Math.floor(get('backlog')),
    batch: Math.floor(get('batch')),
    teamSize: Math.floor(get('team-size')),
    modes: [...new Set(modes)],
    profile: (values.profile as boolean | undefined) ?? env.BENCH_PROFILE === '1',
    couchdbUrls: ((values['couchdb-url'] as string[] | undefined) ?? (env.BENCH_COUCHDB_URL ?? '').split(/\s+/)).filter(
      (u) => u !== '',
    ),
  };
  cfg.workers = Math.min(cfg.workers, cfg.agents);
  return cfg;
}

/** Length of one steady round: each mode gets rounds/2 of them, `durationS` in all. */
export function roundSeconds(cfg: Pick<LoadConfig, 'durationS' | 'rounds'>): number {
  return cfg.durationS / (cfg.rounds / 2);
}

/**
 * The steady rounds in order, ABBA (gateway, direct, direct, gateway,
 * gateway, direct, …) so a drift in machine load over the run weighs on
 * both modes alike; with one mode, only that mode's rounds.
 */
export function roundOrder(cfg: Pick<LoadConfig, 'rounds' | 'modes'>, env: NodeJS.ProcessEnv = process.env): Mode[] {
  // BENCH_FIRST=direct mirrors the order (direct, gateway, gateway, direct, …): shows whether a slowdown follows the clock or the mode
  const first: Mode = env.BENCH_FIRST === 'direct' ? 'direct' : 'gateway';
  const second: Mode = first === 'gateway' ? 'direct' : 'gateway';
  const all = Array.from({ length: cfg.rounds }, (_, i): Mode =>
    (Math.floor(i / 2) % 2 === 0) === (i % 2 === 0) ? first : second,
  );
  return all.filter((m) => cfg.modes.includes(m));
}

/** Records each agent pushes per mode over the warm-up and all its steady rounds (the schedule's upper bound). */
export function steadyRecordsPerAgent(cfg: Pick<LoadConfig, 'durationS' | 'rounds' | 'intervalS' | 'warmupS'>): number {
  const warmup = cfg.warmupS > 0 ? Math.ceil(cfg.warmupS / cfg.intervalS) + 1 : 0;
  return warmup + (cfg.rounds / 2) * (Math.ceil(roundSeconds(cfg) / cfg.intervalS) + 1);
}
