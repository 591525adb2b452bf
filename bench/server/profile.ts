/**
 * A CPU profile of the bench process (engine and gateway share it) through
 * the inspector, summarised as self time per code area and per function:
 * enough to say where the gateway's time goes without opening DevTools.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  /** One .cpuprofile per profiled stretch (e.g. per gateway round). */
  files: string[];
  totalMs: number;
  areas: Array<{ area: string; ms: number; share: number }>;
  functions: Array<{ fn: string; ms: number; share: number }>;
}

const AREAS: Array<[RegExp, string]> = [
  [/sync-server\/src\/gateway\//, 'gateway (routing, bodies, relay)'],
  [/sync-server\/src\/auth\//, 'identity (device authentication)'],
  [/shared\/src\/(envelope|records)\//, 'write validation (envelope decode)'],
  [/libsodium/, 'libsodium'],
  [/sync-server\/src\/provisioning\//, 'consolidation'],
  [/express-pouchdb|express\/|body-parser|raw-body|router\//, 'engine HTTP (express-pouchdb)'],
  [/pouchdb|leveldown|levelup|classic-level|abstract-level|level-/, 'engine storage (PouchDB, LevelDB)'],
  [/nano\/|axios|undici/, 'engine client (nano)'],
  [/^node:|^internal\//, 'node internals (http, net, streams)'],
];

function areaOf(n: ProfileNode): string {
  const { url, functionName } = n.callFrame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'garbage collection';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'program (native, not attributed)';
    return `native ${functionName || '(anonymous)'}`;
  }
  for (const [re, name] of AREAS) if (re.test(url)) return name;
  return 'other JavaScript';
}

/**
 * Profiles one or more stretches (start … stop, start … stop) and sums
 * their self time, so only the stretches of interest are counted.
 */
export class CpuProfiler {
  private readonly session = new Session();
  private connected = false;
  private readonly files: string[] = [];
  private readonly areas = new Map<string, number>();
  private readonly fns = new Map<string, number>();
  private total = 0;

  async start(): Promise<void> {
    if (!this.connected) {
      this.session.connect();
      this.connected = true;
      await this.session.post('Profiler.enable');
      await this.session.post('Profiler.setSamplingInterval', { interval: 200 });
    }
    await this.session.post('Profiler.start');
  }

  /** Ends the current stretch, writes it to `file` and adds it to the summary. */
  async stop(file: string): Promise<void> {
    const { profile } = (await this.session.post('Profiler.stop')) as { profile: Profile };
    await writeFile(file, JSON.stringify(profile));
    this.files.push(file);
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    for (const [id, ms] of self) {
      const n = byId.get(id)!;
      const area = areaOf(n);
      if (area === 'idle') continue;
      this.total += ms;
      this.areas.set(area, (this.areas.get(area) ?? 0) + ms);
      const where = n.callFrame.url.replace(/^.*\/(node_modules|work\/main)\//, '').replace(/^file:\/\//, '');
      const fn = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}`;
      this.fns.set(fn, (this.fns.get(fn) ?? 0) + ms);
    }
  }

  /** Self time over every stretch so far; ends the inspector session. */
  summary(): ProfileSummary {
    if (this.connected) this.session.disconnect();
    this.connected = false;
    const total = this.total;
    const rank = (m: Map<string, number>, k: number) =>
      [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, ms]) => ({ name, ms: Math.round(ms), share: Math.round((ms / total) * 1000) / 10 }));
    return {
      files: [...this.files],
      totalMs: Math.round(total),
      areas: rank(this.areas, 20).map(({ name, ms, share }) => ({ area: name, ms, share })),
      functions: rank(this.fns, 25).map(({ name, ms, share }) => ({ fn: name, ms, share })),
    };
  }
}
