/**
 * The "Other project…" window as data: the projects this computer may track
 * (the agent's own list, already verified, open tasks only) as one list of
 * choices — each project, then each of its open tasks — narrowed by what is
 * typed, with the highlighted choice moved by the arrow keys. Pure: the
 * page only renders it and sends the choice to the agent's `track`.
 */
import type { ProjectListEntry } from '../tracking/project-choice.js';

export interface ProjectChoice {
  projectId: string;
  taskId?: string;
  /** "Apollo" or "Apollo — Design", as the tray and `sealtime-agent track` say it. */
  label: string;
  client: string | null;
  colour: string;
  assignedToMe: boolean;
  /** What the filter matches: names, client and ids, lower case. */
  haystack: string;
}

export function projectChoices(entries: readonly ProjectListEntry[]): ProjectChoice[] {
  const out: ProjectChoice[] = [];
  for (const p of entries) {
    const base = [p.name, p.client ?? '', p.projectId].join(' ');
    out.push({
      projectId: p.projectId,
      label: p.name,
      client: p.client,
      colour: p.colour,
      assignedToMe: false,
      haystack: base.toLocaleLowerCase(),
    });
    for (const t of p.tasks)
      out.push({
        projectId: p.projectId,
        taskId: t.taskId,
        label: `${p.name} — ${t.name}`,
        client: p.client,
        colour: p.colour,
        assignedToMe: t.assignedToMe,
        haystack: `${base} ${t.name} ${t.taskId}`.toLocaleLowerCase(),
      });
  }
  return out;
}

/** Every typed word must appear somewhere in the choice ("apo des" finds Apollo — Design). */
export function filterChoices(choices: readonly ProjectChoice[], query: string): ProjectChoice[] {
  const words = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...choices];
  return choices.filter((c) => words.every((w) => c.haystack.includes(w)));
}

export type SearchKey = 'ArrowDown' | 'ArrowUp' | 'Home' | 'End';

/** The highlighted index after a key, wrapping at the ends; -1 when nothing is listed. */
export function moveSelection(index: number, count: number, key: SearchKey): number {
  if (count === 0) return -1;
  switch (key) {
    case 'ArrowDown':
      return index < 0 ? 0 : (index + 1) % count;
    case 'ArrowUp':
      return index <= 0 ? count - 1 : index - 1;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
  }
}

export const sameChoice = (a: { projectId: string; taskId?: string }, b: { projectId: string; taskId?: string }) =>
  a.projectId === b.projectId && (a.taskId ?? null) === (b.taskId ?? null);
