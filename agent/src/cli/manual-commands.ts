/**
 * `sealtime-agent manual add|list`: manual time entries for time away from
 * the computer, through the running agent or (none running) the store, so
 * they are sealed offline and synced later; `list` shows each with the
 * decision the inbox brought (pending, approved, rejected and why).
 */
import type { Command } from 'commander';
import type { ControlCommand } from '../control/control-protocol.js';
import type { ManualEntryStatus, ManualEntrySummary } from '../manual-time/manual-book.js';

/** Refusals of an entry that are the person's input to fix (exit 2). */
export const MANUAL_INPUT_CODES: readonly string[] = [
  'bad-span',
  'in-future',
  'overlaps-manual',
  'overlaps-tracked',
  'disabled',
];

interface Opts {
  json?: boolean;
}

export interface ManualCommandDeps<O extends Opts> {
  common: (cmd: Command) => Command;
  viaAgent: (o: O, cmd: ControlCommand, args?: Record<string, unknown>) => Promise<unknown>;
  print: (data: unknown, json: boolean | undefined, human: () => string) => void;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/:00\.000Z$/, 'Z');
const hours = (e: { start: number; end: number }) => ((e.end - e.start) / 3_600_000).toFixed(2);

function line(e: ManualEntryStatus): string {
  const project = e.project ? ` [${e.project.projectId}${e.project.taskId ? `/${e.project.taskId}` : ''}]` : '';
  const why = e.comment ? ` — ${e.comment}` : '';
  return `${e.entryId}  ${iso(e.start)} → ${iso(e.end)}  ${hours(e)} h  ${e.status}${why}${project}  ${e.note}`;
}

export function addManualCommands<O extends Opts>(program: Command, d: ManualCommandDeps<O>): void {
  const manual = program.command('manual').description('manual time: time worked away from this computer');
  d.common(manual.command('add').description('add a manual time entry (sealed now, synced when online)'))
    .requiredOption('--from <time>', 'start, ISO date-time, e.g. 2026-03-02T08:30:00+01:00')
    .requiredOption('--to <time>', 'end, ISO date-time')
    .option('--project <id>', 'the project the time was for')
    .option('--task <id>', 'a task of that project')
    .requiredOption('--note <text>', 'what the time was spent on')
    .action(async (o: O & { from: string; to: string; project?: string; task?: string; note: string }) => {
      const r = (await d.viaAgent(o, 'manual-add', {
        from: o.from,
        to: o.to,
        note: o.note,
        ...(o.project !== undefined ? { project: o.project } : {}),
        ...(o.task !== undefined ? { task: o.task } : {}),
      })) as ManualEntrySummary;
      d.print(r, o.json, () => `manual entry added: ${r.entryId} (${hours(r)} h)`);
    });
  d.common(manual.command('list').description('your manual entries with their approval')).action(async (o: O) => {
    const list = (await d.viaAgent(o, 'manual-list')) as ManualEntryStatus[];
    d.print(list, o.json, () => (list.length === 0 ? 'no manual entries' : list.map(line).join('\n')));
  });
}
