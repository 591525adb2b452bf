/** sealtime-admin: signed policy layers and correction decisions. */
import { Command, Option } from 'commander';
import {
  AdminError,
  decideCorrection,
  listCorrections,
  openContext,
  setPolicy,
  showPolicy,
  withdrawPolicy,
} from '../../admin/node/index.js';
import { renderCorrections, renderPolicy } from '../output.js';
import { collect, keyringFileOpt, type CliKit, type Globals } from '../cli-kit.js';

export function addPolicyCommands(program: Command, kit: CliKit): void {
  const { g, ctxOpts, print, passphrase, sub } = kit;
  // ── policy ──
  const policy = sub(program, 'policy', 'capture policy layers, signed by the organisation key');
  sub(policy, 'set', 'change one policy layer and publish it to every employee it concerns')
    .addOption(
      new Option('--level <level>', 'which layer')
        .choices(['organisation', 'team', 'employee', 'device'])
        .makeOptionMandatory(),
    )
    .requiredOption('--id <id>', 'the organisation, team, employee or device id')
    .option('--set <path=value>', 'a setting, e.g. screenshots.perHour=6 (repeatable)', collect, [])
    .option('--lock <path>', 'lock a setting or group for the levels below (repeatable)', collect, [])
    .option('--unlock <path>', 'remove a lock (repeatable)', collect, [])
    .option('--replace', 'start from an empty layer instead of the one in force')
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & {
        level: string;
        id: string;
        set: string[];
        lock: string[];
        unlock: string[];
        replace?: boolean;
      };
      const ctx = await openContext(ctxOpts(o));
      const r = await setPolicy(ctx, {
        level: o.level,
        id: o.id,
        set: o.set,
        lock: o.lock,
        unlock: o.unlock,
        ...(o.replace ? { replace: true } : {}),
        orgPassphrase: await passphrase(o),
      });
      print(o, r, () =>
        [
          `published ${r.docId} to ${r.publishedTo.length} inbox(es)${r.publishedTo.length ? `: ${r.publishedTo.join(', ')}` : ''}`,
          `  settings ${JSON.stringify(r.layer.settings)}${r.layer.locked?.length ? `, locked ${r.layer.locked.join(', ')}` : ''}`,
          ...(r.notProvisioned.length
            ? [`  not enrolled yet (they get it with their enrollment code): ${r.notProvisioned.join(', ')}`]
            : []),
        ].join('\n'),
      );
    });
  sub(
    policy,
    'withdraw',
    'take a policy layer away: a withdrawal signed by the organisation key replaces it everywhere',
  )
    .addOption(
      new Option('--level <level>', 'which layer')
        .choices(['organisation', 'team', 'employee', 'device'])
        .makeOptionMandatory(),
    )
    .requiredOption('--id <id>', 'the organisation, team, employee or device id')
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & { level: string; id: string };
      const ctx = await openContext(ctxOpts(o));
      const r = await withdrawPolicy(ctx, { level: o.level, id: o.id, orgPassphrase: await passphrase(o) });
      print(
        o,
        r,
        () =>
          `withdrew ${r.docId} in ${r.publishedTo.length} inbox(es)${r.publishedTo.length ? `: ${r.publishedTo.join(', ')}` : ''}`,
      );
    });
  sub(policy, 'show', 'the effective policy of an employee, with the level that set each value')
    .argument('<employeeId>')
    .action(async (employeeId: string, _o, cmd: Command) => {
      const o = g(cmd);
      const ctx = await openContext(ctxOpts(o));
      const v = await showPolicy(ctx, employeeId);
      print(o, v, () => renderPolicy(v));
    });

  // ── corrections ──
  const corrections = sub(program, 'corrections', 'attendance correction requests (HR and admins)');
  sub(corrections, 'list', 'pending requests with employee, date, change and reason')
    .option('--employee <id>', 'only this employee')
    .option('--all', 'include decided requests')
    .addOption(keyringFileOpt())
    .action(async (_o, cmd: Command) => {
      const o = g(cmd) as Globals & { employee?: string; all?: boolean; keyringFile?: string };
      const ctx = await openContext(ctxOpts(o));
      const rows = await listCorrections(ctx, {
        passphrase: await passphrase(o, 'key ring passphrase'),
        ...(o.employee ? { employeeId: o.employee } : {}),
        ...(o.all ? { all: true } : {}),
        ...(o.keyringFile ? { keyringFile: o.keyringFile } : {}),
      });
      print(o, rows, () => renderCorrections(rows));
    });
  sub(
    corrections,
    'decide',
    "approve or reject a request: a decision signed by the HR key, sent to the employee's device",
  )
    .argument('<requestId>')
    .argument('<decision>', 'approve or reject')
    .option('--comment <text>', 'shown to the employee')
    .addOption(keyringFileOpt())
    .action(async (requestId: string, decision: string, _o, cmd: Command) => {
      const o = g(cmd) as Globals & { comment?: string; keyringFile?: string };
      if (decision !== 'approve' && decision !== 'reject')
        throw new AdminError('bad-input', `decide takes approve or reject, not '${decision}'`);
      const ctx = await openContext(ctxOpts(o));
      const r = await decideCorrection(ctx, {
        requestId,
        decision,
        ...(o.comment ? { comment: o.comment } : {}),
        passphrase: await passphrase(o, 'HR key ring passphrase'),
        ...(o.keyringFile ? { keyringFile: o.keyringFile } : {}),
      });
      print(o, r, () => `${r.requestId} ${r.decision}; the signed decision is in ${r.employeeId}'s inbox`);
    });
}
