/**
 * Where the agent's steady-state CPU goes: the agent child runs with
 * --cpu-prof, and only the samples inside the measured window (not the
 * start-up's compiling) are summed per function and per source file. V8's
 * sample times and process.hrtime both read CLOCK_MONOTONIC, so the bench's
 * window maps onto the profile directly.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
}

export interface WindowProfile {
  file: string;
  /** Sampled busy time inside the window (idle excluded), ms. */
  busyMs: number;
  files: Array<{ file: string; ms: number }>;
  functions: Array<{ fn: string; ms: number }>;
}

const short = (url: string) =>
  url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|work\/main)\//, '') || '(native)';

/** Summarises the one .cpuprofile in `dir` over [fromUs, toUs] (CLOCK_MONOTONIC µs). */
export async function summariseWindow(dir: string, fromUs: number, toUs: number, top = 15): Promise<WindowProfile> {
  const name = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
  if (!name) throw new Error(`no .cpuprofile in ${dir}`);
  const file = join(dir, name);
  const p = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const files = new Map<string, number>();
  const fns = new Map<string, number>();
  let busy = 0;
  let t = p.startTime;
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (t < fromUs || t > toUs) return;
    const n = byId.get(id)!;
    if (n.callFrame.functionName === '(idle)') return;
    const ms = dt / 1000;
    busy += ms;
    const f = n.callFrame.url ? short(n.callFrame.url) : n.callFrame.functionName;
    files.set(f, (files.get(f) ?? 0) + ms);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${f}:${n.callFrame.lineNumber + 1}`;
    fns.set(fn, (fns.get(fn) ?? 0) + ms);
  });
  const rank = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    file,
    busyMs: Math.round(busy),
    files: rank(files).map(([f, ms]) => ({ file: f, ms: Math.round(ms) })),
    functions: rank(fns).map(([fn, ms]) => ({ fn, ms: Math.round(ms) })),
  };
}
