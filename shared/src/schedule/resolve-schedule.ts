/**
 * Which schedule applies to a person on a local date: the most specific level
 * (employee, then team, then organisation) whose newest version effective on
 * or before that date is a schedule. An `inherit` version hands the date back
 * to the level above; a level with no version yet in force does the same.
 *
 *   organisation  ──[09–17 from 01-01]────────────────────────────────
 *   team          ────────────[08–16 from 06-15]──────────────────────
 *   employee      ──────────────────────[night from 06-20]──[inherit from 07-01]
 *   06-10 → org · 06-16 → team · 06-25 → employee · 07-02 → team
 */
import { scheduleDocId } from './schedule-ids.js';
import {
  isInherit,
  type ScheduleLayer,
  type ScheduleScope,
  type ScheduleVersion,
  type WorkSchedule,
} from './schedule-types.js';

export type ResolvedSchedule = { schedule: WorkSchedule; source: ScheduleScope };

/** The version of one layer in force on `date`, if any (versions are ascending). */
export function versionOn(layer: Pick<ScheduleLayer, 'versions'>, date: string): ScheduleVersion | undefined {
  let found: ScheduleVersion | undefined;
  for (const v of layer.versions) if (v.effectiveFrom <= date) found = v;
  return found;
}

/** `chain` is organisation first, the person's own layer last (missing levels left out). */
export function scheduleOn(chain: readonly ScheduleLayer[], date: string): ResolvedSchedule | undefined {
  for (let i = chain.length - 1; i >= 0; i--) {
    const layer = chain[i]!;
    const v = versionOn(layer, date);
    if (v && !isInherit(v)) return { schedule: v, source: { level: layer.level, id: layer.id } };
  }
  return undefined;
}

/** The layers that apply to a person, organisation first, out of the verified layers by document id. */
export function scheduleChain(
  layers: ReadonlyMap<string, ScheduleLayer>,
  orgId: string,
  teamId: string | null | undefined,
  employeeId: string,
): ScheduleLayer[] {
  const scopes: ScheduleScope[] = [
    { level: 'organisation', id: orgId },
    ...(teamId ? [{ level: 'team' as const, id: teamId }] : []),
    { level: 'employee', id: employeeId },
  ];
  return scopes.flatMap((s) => {
    const l = layers.get(scheduleDocId(s));
    return l ? [l] : [];
  });
}
