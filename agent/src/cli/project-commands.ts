/**
 * `sealtime-agent track <project> [task]`, `stop` and `projects [search]`:
 * through the running agent, or on the store when none runs (the choice is
 * kept and the next run seals with it), so tracking works offline.
 */
import type { Command } from 'commander';
import type { ControlCommand } from '../control/control-protocol.js';
import type { ProjectListEntry } from '../tracking/project-choice.js';
import type { TrackingStatus } from '../tracking/tracking-commands.js';

export interface CliKit<O> {
  common: (cmd: Command) => Command;
  viaAgent: (o: O, cmd: ControlCommand, args?: Record<string, unknown>) => Promise<unknown>;
  print: (data: unknown, json: boolean | undefined, human: () => string) => void;
}

export function trackingText(t: TrackingStatus): string {
  const lines = [
    t.current
      ? `tracking ${t.current.label}${t.since ? ` since ${t.since}` : ''}`
      : 'not tracking a project (time is recorded as "no project")',
  ];
  if (t.note) lines.push(t.note);
  return lines.join('\n');
}

function listText(projects: ProjectListEntry[], t: TrackingStatus): string {
  if (projects.length === 0) return `no projects to track\n${trackingText(t)}`;
  const lines: string[] = [];
  for (const p of projects) {
    lines.push(`${p.name}${p.client ? ` (${p.client})` : ''}  [${p.projectId}]`);
    for (const task of p.tasks)
      lines.push(`  - ${task.name}  [${task.taskId}]${task.assignedToMe ? '  assigned to you' : ''}`);
  }
  lines.push('', trackingText(t));
  return lines.join('\n');
}

export function addProjectCommands<O extends { json?: boolean }>(program: Command, kit: CliKit<O>): void {
  kit
    .common(
      program.command('track').description('track time on a project (and task): name or id, a unique part will do'),
    )
    .argument('<project>', 'project name or id')
    .argument('[task]', 'task name or id')
    .action(async (project: string, task: string | undefined, o: O) => {
      const t = (await kit.viaAgent(o, 'track', {
        project,
        ...(task !== undefined ? { task } : {}),
      })) as TrackingStatus;
      kit.print(t, o.json, () => trackingText(t));
    });
  kit.common(program.command('stop').description('stop tracking the current project')).action(async (o: O) => {
    const t = (await kit.viaAgent(o, 'stop-tracking')) as TrackingStatus;
    kit.print(t, o.json, () => trackingText(t));
  });
  kit
    .common(program.command('projects').description('the projects and open tasks you can track'))
    .argument('[search]', 'only those whose name, client, id or a task name contains this')
    .action(async (search: string | undefined, o: O) => {
      const r = (await kit.viaAgent(o, 'projects', search !== undefined ? { search } : {})) as {
        projects: ProjectListEntry[];
        tracking: TrackingStatus;
      };
      kit.print(r, o.json, () => listText(r.projects, r.tracking));
    });
}
