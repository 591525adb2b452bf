/**
 * A real helper program that fails on chosen calls: a shell wrapper put first
 * on PATH that counts its calls and, on the listed ones, exits 1 the way the
 * tool does when it breaks; on the others it runs the real tool.
 *
 *   const tools = failingTools({ xrandr: [3], import: [2] });
 *   process.env.PATH = tools.path;   // before the code under test spawns it
 *   tools.calls('xrandr');           // how often it ran so far
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface FailingTools {
  /** PATH with the wrappers first. */
  path: string;
  dir: string;
  calls(tool: string): number;
  remove(): void;
}

export function failingTools(
  failOn: Record<string, readonly number[]>,
  basePath = process.env.PATH ?? '',
): FailingTools {
  const dir = mkdtempSync(join(tmpdir(), 'st-failing-tool-'));
  for (const [tool, calls] of Object.entries(failOn)) {
    const real = execFileSync('sh', ['-c', `command -v ${tool}`], { env: { PATH: basePath }, encoding: 'utf8' }).trim();
    const count = join(dir, `${tool}.count`);
    const script = [
      '#!/bin/sh',
      // a lock-free counter is enough: the agent runs one capture round at a time
      `n=$(( $(cat '${count}' 2>/dev/null || echo 0) + 1 ))`,
      `echo "$n" > '${count}'`,
      `case " ${calls.join(' ')} " in *" $n "*) echo "${tool}: failing on purpose (call $n)" >&2; exit 1;; esac`,
      `exec '${real}' "$@"`,
      '',
    ].join('\n');
    writeFileSync(join(dir, tool), script);
    chmodSync(join(dir, tool), 0o755);
  }
  return {
    path: `${dir}${delimiter}${basePath}`,
    dir,
    calls(tool) {
      try {
        return Number(readFileSync(join(dir, `${tool}.count`), 'utf8').trim());
      } catch {
        return 0;
      }
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
