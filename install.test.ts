/**
 * What a new user types first must work after a plain `npm ci`: every
 * `npx <command>` the README names resolves to a workspace binary that npm
 * linked (a bin missing from package-lock.json is not linked by `npm ci`, and
 * `npx` then asks the registry for a package of that name), and IT can
 * install the server alone without pulling Electron.
 */
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = import.meta.dirname;

interface LockPackage {
  name?: string;
  bin?: Record<string, string>;
  link?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  devDependencies?: Record<string, string>;
}
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockPackage>;
};
const readme = readFileSync(resolve(root, 'README.md'), 'utf8');

/** `npx sealtime-x …` commands in the README (npx of tools such as vitest are not ours). */
function readmeCommands(): string[] {
  const names = new Set<string>();
  for (const m of readme.matchAll(/\bnpx (sealtime-[a-z-]+)/g)) names.add(m[1]!);
  return [...names].sort();
}

/** Where node would find `name` from the package at `fromPath` (a key of lock.packages), walking up node_modules. */
function locate(name: string, fromPath: string): string | undefined {
  let base = fromPath;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut >= 0 ? base.slice(0, cut) : '';
  }
}

/** Every lock entry `npm ci -w <workspace>` installs: the workspace's dependencies and devDependencies, then their dependencies. */
function closure(workspaces: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...workspaces];
  while (queue.length > 0) {
    let path = queue.pop()!;
    const entry = lock.packages[path];
    if (!entry || seen.has(path)) continue;
    if (entry.link && entry.resolved) {
      path = entry.resolved;
    }
    if (seen.has(path)) continue;
    seen.add(path);
    const pkg = lock.packages[path]!;
    const optionalPeers = new Set(
      Object.entries(pkg.peerDependenciesMeta ?? {})
        .filter(([, m]) => m.optional)
        .map(([n]) => n),
    );
    const ownDev = workspaces.includes(path) ? pkg.devDependencies : {};
    const deps = { ...pkg.dependencies, ...pkg.optionalDependencies, ...pkg.peerDependencies, ...ownDev };
    for (const dep of Object.keys(deps)) {
      if (optionalPeers.has(dep)) continue;
      const found = locate(dep, path);
      if (found) queue.push(found);
    }
  }
  return seen;
}

describe('a fresh install', () => {
  it('the README names each of our three commands', () => {
    expect(readmeCommands()).toEqual(['sealtime-admin', 'sealtime-agent', 'sealtime-server']);
  });

  for (const command of readmeCommands()) {
    it(`npx ${command} resolves to a workspace binary linked by npm ci`, async () => {
      const owners = Object.entries(lock.packages).filter(
        ([path, p]) => !path.includes('node_modules') && p.bin?.[command],
      );
      expect(
        owners.map(([path]) => path),
        'package-lock.json must declare the bin, or npm ci does not link it',
      ).toHaveLength(1);
      const [workspace, pkg] = owners[0]!;
      const link = resolve(root, 'node_modules/.bin', command);
      expect(existsSync(link), `${link} after npm ci`).toBe(true);
      expect(realpathSync(link)).toBe(realpathSync(resolve(root, workspace, pkg.bin![command]!)));
      const { stdout } = await run(link, ['--help'], { cwd: root, timeout: 30_000 });
      expect(stdout).toContain(`Usage: ${command}`);
    });
  }

  it('the server installs without Electron (npm ci -w sync-server)', () => {
    const reached = closure(['sync-server']);
    expect(reached.has('sync-server')).toBe(true);
    expect(reached.has('shared')).toBe(true); // the workspace link is followed
    const electronish = [...reached].filter((p) =>
      /node_modules\/(electron|electron-builder|@electron\/[^/]+)$/.test(p),
    );
    expect(electronish).toEqual([]);
    expect(readme).toContain('npm ci -w sync-server');
  });

  it('the closure walk does find Electron where a workspace declares it (the check above can fail)', () => {
    expect([...closure(['admin-desktop'])].some((p) => p.endsWith('node_modules/electron'))).toBe(true);
  });
});
