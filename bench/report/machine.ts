import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

/** What a bench run ran on: the report prints it beside the figures, because on shared machines a number means little without it. */
export interface MachineFacts {
  date: string;
  commit: string | null;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the bench finished: > cores means the figures were taken under contention. */
  loadAtEnd: number;
}

export function machineFacts(now: Date = new Date()): MachineFacts {
  let commit: string | null = null;
  try {
    commit =
      execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim() || null;
  } catch {
    commit = null; // a tarball without .git: the report says "unknown"
  }
  const c = cpus();
  return {
    date: now.toISOString(),
    commit,
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAtEnd: Math.round(loadavg()[0]! * 100) / 100,
  };
}
