/** sealtime-admin: day reviews, key-ring hand-over and integrity alerts. */
import { writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { Command, Option } from 'commander';
import { AdminError, openContext, reviewDay } from '../../admin/node/index.js';
import { renderReview } from '../output.js';
import { keyringFileOpt, type CliKit, type Globals } from '../cli-kit.js';

export function addReviewCommands(program: Command, kit: CliKit): void {
  const { g, ctxOpts, print, passphrase, sub, secrets } = kit;
  // ── review ──
  sub(program, 'review', "one employee's day as your role may read it, with each device's chain checked")
    .argument('<employeeId>')
    .option('--date <YYYY-MM-DD>', 'the day (default today)')
    .option('--tz <zone>', "IANA time zone of the day (default this machine's)")
    .option('--team <teamId>', 'managers of several teams: which team database')
    .addOption(keyringFileOpt())
    .action(async (employeeId: string, _o, cmd: Command) => {
      const o = g(cmd) as Globals & { date?: string; tz?: string; team?: string; keyringFile?: string };
      const ctx = await openContext(ctxOpts(o));
      const d = await reviewDay(ctx, {
        employeeId,
        ...(o.date ? { date: o.date } : {}),
        ...(o.tz ? { timeZone: o.tz } : {}),
        ...(o.team ? { team: o.team } : {}),
        passphrase: await passphrase(o, 'key ring passphrase'),
        ...(o.keyringFile ? { keyringFile: o.keyringFile } : {}),
      });
      print(o, d, () => renderReview(d));
    });

  // ── key ring hand-over ──
  sub(
    sub(program, 'keyring', 'key ring files'),
    'export',
    'write a verified key ring (wrapped secrets only) to a file, for HR or a manager',
  )
    .addOption(
      new Option('--role <role>', 'whose ring')
        .choices(['organisation', 'hr', 'team', 'employee'])
        .makeOptionMandatory(),
    )
    .option('--id <id>', 'team or employee id (organisation and HR: the organisation)')
    .requiredOption('--out <file>', 'where to write it (0600)')
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & { role: 'organisation' | 'hr' | 'team' | 'employee'; id?: string; out: string };
      const ctx = await openContext(ctxOpts(o));
      const orgRing = await ctx.custody.orgRing();
      const doc =
        o.role === 'organisation'
          ? orgRing.doc
          : await ctx.custody.requireRing(o.role, o.id ?? orgRing.orgId, orgRing.signPublicKey);
      await writeFile(o.out, JSON.stringify(doc, null, 2) + '\n', { mode: 0o600, flag: 'w' });
      print(
        o,
        { role: doc.role, ownerId: doc.ownerId, out: o.out },
        () => `wrote the ${doc.role} key ring ${doc.ownerId} to ${o.out.replace(homedir(), '~')}`,
      );
    });

  // ── integrity ──
  sub(
    program,
    'alerts',
    'integrity alerts: sealed records or images the server refused as forged, chain-breaking or forked',
  )
    .option('--since <time>', 'from this time on (ISO date or epoch ms; default: all)')
    .option('--limit <n>', 'at most this many (1-1000)', '100')
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & { since?: string; limit: string };
      const since = o.since === undefined ? undefined : /^\d+$/.test(o.since) ? Number(o.since) : Date.parse(o.since);
      if (since !== undefined && !Number.isFinite(since))
        throw new AdminError('bad-input', `--since takes an ISO date or epoch milliseconds, not '${o.since}'`);
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw new AdminError('bad-input', '--limit takes a whole number from 1 to 1000');
      const ctx = await openContext(ctxOpts(o));
      const r = await ctx.client.alerts({ ...(since !== undefined ? { since } : {}), limit });
      print(o, r, () =>
        r.alerts.length === 0
          ? 'no integrity alerts'
          : r.alerts
              .map(
                (a) =>
                  `${a.atIso}  ${a.code.padEnd(13)} device ${a.deviceId ?? '?'} (${a.employeeId ?? '?'})${a.seq !== null ? ` seq ${a.seq}` : ''}: ${a.reason}`,
              )
              .join('\n') + (r.next !== undefined ? `\n(more: --since ${r.next})` : ''),
      );
    });
}
