/**
 * The command lines of this process's live children, read from /proc: tests
 * check with it that a collector spawns no helper (xprop, xwininfo, …).
 */
import { readdirSync, readFileSync } from 'node:fs';

export function childCommands(): string[] {
  const out: string[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) out.push(readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ').trim());
    } catch {
      // exited meanwhile
    }
  }
  return out;
}
