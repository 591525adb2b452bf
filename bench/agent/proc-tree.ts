/**
 * CPU time and resident memory of a process and all its descendants, read
 * from /proc (Linux). CPU counts utime+stime of every live process in the
 * tree plus cutime+cstime (children that exited and were waited for), so a
 * short-lived helper (xprop, the input hook restarting) is not lost when it
 * exits: its time moves into its parent's counters, which are in the sum.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime + cutime + cstime, seconds */
  cpuS: number;
}

function readStat(pid: number): ProcStat | null {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // exited meanwhile
  }
  // the command name (field 2) may contain spaces and parentheses: split after the last ')'
  const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); field n is rest[n - 3]
  const f = (n: number) => Number(rest[n - 3]);
  return { pid, ppid: f(4), cpuS: (f(14) + f(15) + f(16) + f(17)) / CLK_TCK };
}

function rssKb(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/**
 * Proportional set size: shared pages divided among the processes mapping them.
 * The input hook child is a second node process sharing the node binary with
 * the agent, so summing RSS counts those pages twice; summing PSS does not.
 */
function pssKb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface TreeSample {
  /** Wall time of the sample, ms (performance.now clock of the caller). */
  at: number;
  /** CPU seconds of the whole tree since each process started. */
  cpuS: number;
  /** CPU seconds of the root process alone (with its reaped children). */
  rootCpuS: number;
  rssKb: number;
  rootRssKb: number;
  /** Sum of PSS over the tree (shared pages counted once). */
  pssKb: number;
  pids: number[];
  /** [pid, VmRSS kB] of every process in the tree. */
  perPid: Array<[number, number]>;
}

/** One look at the tree under `root`; null once the root has exited. */
export function sampleTree(root: number, at: number): TreeSample | null {
  const rootStat = readStat(root);
  if (!rootStat) return null;
  const stats: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) stats.push(s);
  }
  const children = new Map<number, number[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s.pid]);
  const byPid = new Map(stats.map((s) => [s.pid, s]));
  const tree: number[] = [];
  const walk = (pid: number) => {
    tree.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  let cpuS = 0;
  const perPid: Array<[number, number]> = [];
  for (const pid of tree) {
    cpuS += (pid === root ? rootStat : byPid.get(pid))?.cpuS ?? 0;
    perPid.push([pid, rssKb(pid)]);
  }
  const rss = perPid.reduce((a, [, kb]) => a + kb, 0);
  const pss = tree.reduce((a, pid) => a + pssKb(pid), 0);
  return { at, cpuS, rootCpuS: rootStat.cpuS, rssKb: rss, rootRssKb: perPid[0]![1], pssKb: pss, pids: tree, perPid };
}

/** The command line of a process, for the report (which children the agent had). */
export function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ').slice(0, 160);
  } catch {
    return '(exited)';
  }
}

export interface MemStatus {
  rssKb: number;
  /** Peak RSS since start, or since the last resetPeak (the kernel's VmHWM). */
  hwmKb: number;
  anonKb: number;
  fileKb: number;
}

/** Resident memory of one process from /proc/<pid>/status; null once it has exited. */
export function memStatus(pid: number): MemStatus | null {
  let raw: string;
  try {
    raw = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(raw)?.[1] ?? 0);
  return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM'), anonKb: kb('RssAnon'), fileKb: kb('RssFile') };
}

/**
 * Sets the kernel's peak-RSS mark (VmHWM) of a process back to its current
 * RSS (clear_refs 5, Linux ≥ 4.0), so VmHWM read later is the peak of the
 * window, however short it was. False where the kernel refuses.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
