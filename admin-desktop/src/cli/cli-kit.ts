/**
 * What every sealtime-admin command shares: the global flags, how a command
 * reads its secrets and prints, and the context options it opens with.
 */
import { Command, Option } from 'commander';
import { AdminError, defaultProfileDir, type ContextOptions } from '../admin/node/index.js';
import type { PwhashParams } from '@sealtime/shared';
import { SecretReader } from './passphrase-input.js';

export interface Globals {
  server?: string;
  caFile?: string;
  profile?: string;
  json?: boolean;
  passphraseEnv?: string;
}

/** Internal knobs for in-process tests; never reachable from a flag. */
export interface Internals {
  params?: Pick<PwhashParams, 'opsLimit' | 'memLimitBytes'>;
  secrets?: SecretReader;
}

export const collect = (v: string, prev: string[]) => [...prev, v];
export const parseTtl = (raw: string): number => {
  const m = /^(\d+)(m|h|d)$/.exec(raw.trim());
  if (!m) throw new AdminError('bad-input', `--ttl takes e.g. 30m, 24h or 7d, not '${raw}'`);
  return Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
};

/** --keyring-file, on the commands that unlock a key ring */
export const keyringFileOpt = () =>
  new Option(
    '--keyring-file <file>',
    'your key ring as a file (older set-ups; without it the server hands HR and managers the ring their role holds)',
  );

export interface CliKit {
  secrets: SecretReader;
  internals: Internals;
  /** the global flags as seen from a subcommand */
  g: (cmd: Command) => Globals;
  ctxOpts: (o: Globals) => ContextOptions;
  print: (o: Globals, data: unknown, human: () => string) => void;
  passphrase: (o: Globals, label?: string) => Promise<string>;
  sub: (parent: Command, name: string, description: string) => Command;
}

export function makeKit(internals: Internals): CliKit {
  const secrets = internals.secrets ?? new SecretReader();
  const g = (cmd: Command): Globals => cmd.optsWithGlobals<Globals>();
  const ctxOpts = (o: Globals): ContextOptions => ({
    profileDir: o.profile ?? defaultProfileDir(),
    ...(o.server ? { server: o.server } : {}),
    ...(o.caFile ? { caFile: o.caFile } : {}),
    ...(internals.params ? { params: internals.params } : {}),
  });
  const print = (o: Globals, data: unknown, human: () => string) =>
    process.stdout.write((o.json ? JSON.stringify(data, null, 2) : human()) + '\n');
  const passphrase = (o: Globals, label = 'organisation key ring passphrase') => secrets.read(label, o.passphraseEnv);
  const sub = (parent: Command, name: string, description: string) => {
    const c = parent.command(name).description(description);
    c.exitOverride();
    return c;
  };
  return { secrets, internals, g, ctxOpts, print, passphrase, sub };
}
