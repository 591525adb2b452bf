/**
 * A simulated organisation, deterministic for a seed: teams, people (one
 * night-shift worker, one with a mouse jiggler, a few with two devices),
 * their schedules and devices. Nothing here is sealed yet: the device ids
 * come from the server at enrollment, so sealing happens per device once the
 * id is known (seal-device.ts), in memory for tests or straight to a server
 * (store-org.ts).
 *
 * Device signing keys are derived from the seed (personKeysFromSeed of a
 * hashed label), so a device's identity repeats with the seed; the people's
 * key rings are created by the admin code itself when the org is stored.
 */
import { createHash } from 'node:crypto';
import { initSodium, personKeysFromSeed, type Project, type Schedule } from '@sealtime/shared';
import { seededRandom } from '../seeded-random.js';
import { planProjects } from './project-plan.js';

export interface OrgPolicy {
  /** Screenshots per hour (one in each interval of 60/perHour minutes). */
  screenshotsPerHour: number;
  /** Apps whose screenshots are blurred on the device (policy excludedApps with the 'blur' action). */
  blurApps: string[];
  /** Activity slot length in minutes. */
  slotMinutes: number;
}

export interface OrgFixtureOptions {
  seed: number;
  people: number;
  /** Calendar days up to and including endDate (weekends are days off). */
  days: number;
  /** Last local date, YYYY-MM-DD (default 2026-11-27, a Friday). */
  endDate?: string;
  timeZone?: string;
  /** Number of teams (default one per 8 people, at least 1). */
  teams?: number;
  policy?: Partial<OrgPolicy>;
}

export interface DevicePlan {
  /** Stable local name (the device id is the server's). */
  key: string;
  hostname: string;
  platform: 'linux' | 'win32' | 'darwin';
  signPublicKey: Uint8Array;
  signSecretKey: Uint8Array;
  /** Weekdays (1 = Monday … 5 = Friday) this device records. */
  weekdays: number[];
}

export type Shift = 'day' | 'night';

export interface PersonPlan {
  employeeId: string;
  displayName: string;
  teamId: string;
  shift: Shift;
  /** Input too regular to be human on every working day: flagged by an integrity alert. */
  jiggler: boolean;
  /** Files one correction request (forgot to clock out on a day). */
  correction: boolean;
  schedule: Schedule;
  devices: DevicePlan[];
}

export interface TeamPlan {
  teamId: string;
  managerUserId: string;
  members: string[];
}

export interface OrgPlan {
  seed: number;
  orgId: string;
  timeZone: string;
  policy: OrgPolicy;
  /** Every local date of the range, oldest first. */
  dates: string[];
  /** Monday–Friday dates of the range. */
  workDates: string[];
  teams: TeamPlan[];
  people: PersonPlan[];
  /** What people track (work-plan.ts): signed and published when the org is stored. */
  projects: Project[];
}

export const DEFAULT_POLICY: OrgPolicy = { screenshotsPerHour: 6, blurApps: ['KeePassXC'], slotMinutes: 10 };

/** A stable 32-bit hash of labels, to seed a PRNG per person, day or device. */
export function hashLabel(...parts: Array<string | number>): number {
  const h = createHash('sha256').update(parts.join('|')).digest();
  return h.readUInt32LE(0);
}

/** A PRNG for one labelled thing under the org's seed. */
export function rngFor(seed: number, ...labels: Array<string | number>): () => number {
  return seededRandom(hashLabel(seed, ...labels));
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export const weekday = (date: string): number => new Date(`${date}T12:00:00Z`).getUTCDay();

const FIRST = [
  'ada',
  'ben',
  'cleo',
  'dev',
  'eli',
  'fay',
  'gus',
  'hana',
  'ivo',
  'jun',
  'kai',
  'lea',
  'mo',
  'nia',
  'otto',
  'pia',
  'quin',
  'rui',
  'sara',
  'tom',
];
const TEAMS = [
  'support',
  'sales',
  'platform',
  'finance',
  'design',
  'ops',
  'data',
  'legal',
  'mobile',
  'web',
  'qa',
  'growth',
];

export async function generateOrg(options: OrgFixtureOptions): Promise<OrgPlan> {
  await initSodium();
  const { seed } = options;
  if (!Number.isInteger(options.people) || options.people < 1)
    throw new RangeError('people must be a positive integer');
  if (!Number.isInteger(options.days) || options.days < 1) throw new RangeError('days must be a positive integer');
  const endDate = options.endDate ?? '2026-11-27';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(endDate)) throw new RangeError('endDate must be YYYY-MM-DD');
  const timeZone = options.timeZone ?? 'Europe/Berlin';
  const policy: OrgPolicy = { ...DEFAULT_POLICY, ...options.policy };
  const teamCount = Math.max(1, Math.min(options.teams ?? Math.ceil(options.people / 8), options.people));

  const dates = Array.from({ length: options.days }, (_, i) => addDays(endDate, i - options.days + 1));
  const workDates = dates.filter((d) => weekday(d) >= 1 && weekday(d) <= 5);
  const teams: TeamPlan[] = Array.from({ length: teamCount }, (_, i) => {
    const teamId = i < TEAMS.length ? TEAMS[i]! : `team-${i + 1}`;
    return { teamId, managerUserId: `mgr-${teamId}`, members: [] };
  });

  const people: PersonPlan[] = [];
  for (let i = 0; i < options.people; i++) {
    const rng = rngFor(seed, 'person', i);
    const employeeId = `emp-${String(i + 1).padStart(3, '0')}`;
    const team = teams[i % teamCount]!;
    team.members.push(employeeId);
    // fixed roles so every org, however small, has each pattern once
    const shift: Shift = i === 0 && options.people > 1 ? 'night' : 'day';
    const jiggler = i === Math.min(2, options.people - 1) && options.people > 2;
    const correction = i === Math.min(1, options.people - 1);
    const twoDevices = i % 5 === 1 || rng() < 0.1;
    const schedule: Schedule =
      shift === 'night'
        ? {
            timeZone,
            days: {
              1: { start: '22:00', end: '06:00' },
              2: { start: '22:00', end: '06:00' },
              3: { start: '22:00', end: '06:00' },
              4: { start: '22:00', end: '06:00' },
              5: { start: '22:00', end: '06:00' },
            },
            graceMinutes: 10,
          }
        : {
            timeZone,
            days: {
              1: { start: '09:00', end: '17:30' },
              2: { start: '09:00', end: '17:30' },
              3: { start: '09:00', end: '17:30' },
              4: { start: '09:00', end: '17:30' },
              5: { start: '09:00', end: '17:30' },
            },
            graceMinutes: 10,
          };
    const device = (key: string, weekdays: number[], platform: DevicePlan['platform']): DevicePlan => {
      const k = personKeysFromSeed(createHash('sha256').update(`sealtime-fixture|${seed}|device|${key}`).digest());
      return {
        key,
        hostname: `${key}.corp.example`,
        platform,
        signPublicKey: k.signPublicKey,
        signSecretKey: k.signSecretKey,
        weekdays,
      };
    };
    const devices = twoDevices
      ? [
          device(`${employeeId}-desk`, [1, 2, 3, 4], 'linux'),
          device(`${employeeId}-home`, [5], i % 2 === 0 ? 'win32' : 'darwin'),
        ]
      : [device(`${employeeId}-laptop`, [1, 2, 3, 4, 5], 'linux')];
    people.push({
      employeeId,
      displayName: `${FIRST[i % FIRST.length]} ${i + 1}`,
      teamId: team.teamId,
      shift,
      jiggler,
      correction,
      schedule,
      devices,
    });
  }
  return { seed, orgId: 'acme', timeZone, policy, dates, workDates, teams, people, projects: planProjects({ teams }) };
}

/** The device of a person that records on a date, if any works that day. */
export function deviceFor(person: PersonPlan, date: string): DevicePlan | undefined {
  const wd = weekday(date);
  return person.devices.find((d) => d.weekdays.includes(wd));
}
