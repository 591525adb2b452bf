/**
 * A CPU profile of the bench process (engine and gateway share it) through
 * the inspector, summarised as self time per code area and per function:
 * enough to say where the gateway's time goes without opening DevTools.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Self time of one tag's stretches (e.g. one mode's rounds), also per unit of work (push cycle). */
export interface TagSummary {
  tag: string;
  totalMs: number;
  units: number;
  areas: Map<string, number>;
  functions: Map<string, number>;
}

export interface ProfileSummary {
  /** One .cpuprofile per profiled stretch (e.g. per round). */
  files: string[];
  tags: TagSummary[];
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
 * Profiles stretches (start … stop, start … stop) and sums their self time
 * per tag, so stretches of different kinds (the two modes' rounds) are
 * compared side by side from one run, per unit of work each did.
 */
export class CpuProfiler {
  private readonly session = new Session();
  private connected = false;
  private readonly files: string[] = [];
  private readonly tags = new Map<string, TagSummary>();

  async start(): Promise<void> {
    if (!this.connected) {
      this.session.connect();
      this.connected = true;
      await this.session.post('Profiler.enable');
      await this.session.post('Profiler.setSamplingInterval', { interval: 200 });
    }
    await this.session.post('Profiler.start');
  }

  /** Ends the current stretch, writes it to `file` and adds it to `tag`'s summary, with the units of work done in it. */
  async stop(file: string, tag: string, units: number): Promise<void> {
    const { profile } = (await this.session.post('Profiler.stop')) as { profile: Profile };
    await writeFile(file, JSON.stringify(profile));
    this.files.push(file);
    let t = this.tags.get(tag);
    if (!t) this.tags.set(tag, (t = { tag, totalMs: 0, units: 0, areas: new Map(), functions: new Map() }));
    t.units += units;
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<number, number>();
    profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
    for (const [id, ms] of self) {
      const n = byId.get(id)!;
      const area = areaOf(n);
      if (area === 'idle') continue;
      t.totalMs += ms;
      t.areas.set(area, (t.areas.get(area) ?? 0) + ms);
      const where = n.callFrame.url.replace(/^.*\/(node_modules|work\/main)\//, '').replace(/^file:\/\//, '');
      const fn = `${n.callFrame.functionName || '(anonymous)'} ${where}:${n.callFrame.lineNumber + 1}:${n.callFrame.columnNumber + 1}`;
      t.functions.set(fn, (t.functions.get(fn) ?? 0) + ms);
    }
  }

  /** Self time over every stretch so far, per tag; ends the inspector session. */
  summary(): ProfileSummary {
    if (this.connected) this.session.disconnect();
    this.connected = false;
    return { files: [...this.files], tags: [...this.tags.values()] };
  }
}

/**
 * Rows of µs per unit of work, one column per tag and, for two tags, their
 * difference: the biggest differences first (where one mode spends more).
 */
export function compareTags(
  summary: ProfileSummary,
  pick: 'areas' | 'functions',
  limit: number,
): Array<Record<string, string | number>> {
  const tags = summary.tags;
  const names = new Set(tags.flatMap((t) => [...t[pick].keys()]));
  const per = (t: TagSummary, name: string): number => ((t[pick].get(name) ?? 0) * 1000) / Math.max(1, t.units);
  const rows = [...names].map((name) => {
    const r: Record<string, string | number> = { [pick === 'areas' ? 'area' : 'function']: name };
    for (const t of tags) r[`${t.tag} µs/unit`] = Math.round(per(t, name));
    if (tags.length === 2) r['difference'] = Math.round(per(tags[0]!, name) - per(tags[1]!, name));
    return r;
  });
  const key = tags.length === 2 ? 'difference' : `${tags[0]?.tag} µs/unit`;
  rows.sort((a, b) => Math.abs(Number(b[key])) - Math.abs(Number(a[key])));
  const total: Record<string, string | number> = { [pick === 'areas' ? 'area' : 'function']: 'all (busy)' };
  for (const t of tags) total[`${t.tag} µs/unit`] = Math.round((t.totalMs * 1000) / Math.max(1, t.units));
  if (tags.length === 2)
    total['difference'] = Number(total[`${tags[0]!.tag} µs/unit`]) - Number(total[`${tags[1]!.tag} µs/unit`]);
  return [total, ...rows.slice(0, limit)];
}
