/**
 * Opened records in memory, per employee and local day (the reviewer's time
 * zone). An employee's records are opened on first use and again after the
 * replica brought something new for them; nothing opened is written to disk.
 *
 * Two ways in: `employee()` opens the whole replica of a person (reports,
 * attendance over a range); `days()` opens only what a day view needs. For
 * that the rows are read by their clear sealing hour, one sealed day (a
 * bucket) at a time: a record is about a moment at or before it was sealed,
 * so the records of local day D are in the buckets of D … D+SPILL_DAYS. A
 * record sealed later than that after what it is about shows in ranges
 * (reports, attendance) but not in day views.
 */
import {
  localDateOf,
  localDayBounds,
  recordClassOf,
  routingClassOf,
  type OpenedRecord,
  type RoutingClass,
} from '@sealtime/shared';
import type { OpenOutcome, RecordProblem } from './record-opening.js';
import type { ReplicaDoc } from './replica-store.js';

export interface EmployeeDays {
  days: Map<string, OpenedRecord[]>;
  /** Problems by local day ('' when not even a coarse time is known). */
  problems: Map<string, RecordProblem[]>;
  cannotOpen: number;
}

/** The time a record is about: when it happened, not when it was sealed. */
export function eventTime(r: OpenedRecord): number {
  switch (r.kind) {
    case 'attendance':
      return r.payload.at;
    case 'activity-slot':
    case 'app-event':
    case 'idle-period':
      return r.payload.start;
    case 'screenshot':
      return r.payload.takenAt;
    default:
      return r.createdAt;
  }
}

/** Sealed days after a local day whose buckets may still hold records about it. */
export const SPILL_DAYS = 2;
const HOUR_MS = 3_600_000;
/** Employee × class sets kept opened (each a few records: manual time entries, corrections). */
const MAX_CLASS_SETS = 256;

/** YYYY-MM-DD plus n calendar days (at noon UTC: no DST edge). */
const addDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export class OpenedIndex {
  private readonly cache = new Map<string, Promise<EmployeeDays>>();
  /** employee → sealed local day → that bucket opened. */
  private readonly buckets = new Map<string, Map<string, Promise<EmployeeDays>>>();

  /** How often each employee's records changed (day-totals-cache.ts keys derived totals by it); `cleared` counts clear(). */
  private readonly changes = new Map<string, number>();
  private cleared = 0;

  /** employee + routing class → those rows of the employee opened (small classes a day view needs whole). */
  private readonly classes = new Map<string, Promise<OpenedRecord[]>>();

  /** Opened buckets, least recently used first: memory stays bounded however many days are visited. */
  private readonly recent = new Map<string, [string, string]>();

  constructor(
    private readonly load: (employeeId: string) => Promise<ReplicaDoc[]>,
    private readonly open: (docs: readonly ReplicaDoc[]) => OpenOutcome,
    private readonly timeZone: string,
    /** Rows sealed in [fromHour, toHour) (and rows showing no hour); without it `days()` opens the whole employee. */
    private readonly loadHours?: (employeeId: string, fromHour: number, toHour: number) => Promise<ReplicaDoc[]>,
    /** Opened buckets (person × sealed day) kept; the oldest is dropped beyond it. A team dashboard needs 5 per person. */
    private readonly maxBuckets = 1200,
    /** Whole employees (reports, corrections) kept opened. */
    private readonly maxEmployees = 8,
  ) {}

  private evict(): void {
    for (const [key, [e, day]] of this.recent) {
      if (this.recent.size <= this.maxBuckets) break;
      this.recent.delete(key);
      const m = this.buckets.get(e);
      m?.delete(day);
      if (m?.size === 0) this.buckets.delete(e);
    }
  }

  /**
   * The opened records of these local days, each day's list sorted by event
   * time, in the order of `dates`. Reads only the buckets they need.
   */
  async days(employeeId: string, dates: readonly string[]): Promise<OpenedRecord[]> {
    const whole = this.cache.get(employeeId);
    if (whole || !this.loadHours) {
      const d = (await this.employee(employeeId)).days;
      return dates.flatMap((x) => d.get(x) ?? []);
    }
    const wanted = new Set(dates);
    const sealedDays = [
      ...new Set(dates.flatMap((d) => Array.from({ length: SPILL_DAYS + 1 }, (_, i) => addDays(d, i)))),
    ];
    const opened = await Promise.all(sealedDays.map((d) => this.bucket(employeeId, d)));
    const byDay = new Map<string, Map<string, OpenedRecord>>();
    for (const b of opened) {
      for (const [day, list] of b.days) {
        if (!wanted.has(day)) continue;
        let m = byDay.get(day);
        if (!m) byDay.set(day, (m = new Map()));
        for (const r of list) m.set(r.id, r); // rows showing no hour come with every bucket: once each
      }
    }
    return dates.flatMap((d) => [...(byDay.get(d)?.values() ?? [])].sort((a, b) => eventTime(a) - eventTime(b)));
  }

  /**
   * A day as a dashboard reads it: the records of `date` and the day after
   * (all of them), and of the day before only what was sealed then in
   * `eveClasses` (e.g. attendance: a session running into the day, the
   * state at midnight), plus whatever about it was sealed later. A cold
   * dashboard of 100 people so opens one sealed day per person, not two.
   */
  async dayWithEve(employeeId: string, date: string, eveClasses: readonly string[]): Promise<OpenedRecord[]> {
    const eve = addDays(date, -1);
    if (this.cache.get(employeeId) || !this.loadHours) return this.days(employeeId, [eve, date, addDays(date, 1)]);
    const wanted = new Set([eve, date, addDays(date, 1)]);
    const sealedDays = Array.from({ length: SPILL_DAYS + 2 }, (_, i) => addDays(date, i));
    const opened = await Promise.all([
      ...sealedDays.map((d) => this.bucket(employeeId, d)),
      this.bucket(employeeId, eve, eveClasses),
    ]);
    const byId = new Map<string, OpenedRecord>();
    for (const b of opened)
      for (const [day, list] of b.days) if (wanted.has(day)) for (const r of list) byId.set(r.id, r);
    return [...byId.values()].sort((a, b) => eventTime(a) - eventTime(b));
  }

  /**
   * Every record of one routing class of an employee, opened, sorted by
   * event time: for what a day view needs from any sealing time (manual time
   * entries are sealed days after the hours they state). The rows are read
   * by employee and picked by their clear class before anything is opened,
   * so a person's day does not open their month. Rows showing no class
   * (neither `class` nor a known `kind`) are opened too and kept if they are
   * of the class.
   */
  ofClass(employeeId: string, cls: RoutingClass): Promise<OpenedRecord[]> {
    const key = `${employeeId}\n${cls}`;
    let p = this.classes.get(key);
    if (p) {
      this.classes.delete(key); // most recently used last
      this.classes.set(key, p);
      return p;
    }
    for (const k of this.classes.keys()) {
      if (this.classes.size < MAX_CLASS_SETS) break;
      this.classes.delete(k);
    }
    p = this.load(employeeId).then((docs) => {
      const picked = docs.filter((d) => {
        const c =
          typeof d.hint.class === 'string'
            ? d.hint.class
            : typeof d.hint.kind === 'string'
              ? routingClassOf(d.hint.kind)
              : undefined;
        return c === undefined || c === cls;
      });
      return this.open(picked)
        .records.filter((r) => routingClassOf(r.kind) === cls)
        .sort((a, b) => eventTime(a) - eventTime(b));
    });
    this.classes.set(key, p);
    p.catch(() => this.classes.delete(key));
    return p;
  }

  /** Records that are not for this role's keys, among everything opened so far. */
  cannotOpenSoFar(): Promise<number> {
    const employees = new Set([...this.cache.keys(), ...this.buckets.keys()]);
    return Promise.all(
      [...employees].map(async (e) => {
        const whole = this.cache.get(e);
        if (whole) return (await whole).cannotOpen;
        const bs = await Promise.all([...(this.buckets.get(e)?.values() ?? [])]);
        return bs.reduce((n, b) => n + b.cannotOpen, 0);
      }),
    ).then(
      (ns) => ns.reduce((a, b) => a + b, 0),
      () => 0,
    );
  }

  /** One sealed day opened, whole or (with `classes`) only its rows of those routing classes. */
  private bucket(employeeId: string, sealedDay: string, classes?: readonly string[]): Promise<EmployeeDays> {
    let m = this.buckets.get(employeeId);
    if (!m) this.buckets.set(employeeId, (m = new Map()));
    // a partial bucket is its own entry, `<day>|<classes>`: evicted and invalidated like the day
    const entry = classes ? `${sealedDay}|${[...classes].sort().join(',')}` : sealedDay;
    let p = m.get(entry);
    const key = `${employeeId}\n${entry}`;
    this.recent.delete(key); // most recently used last
    this.recent.set(key, [employeeId, entry]);
    this.evict();
    if (!p) {
      const { from, to } = this.hoursOf(sealedDay);
      const keep = (d: ReplicaDoc) => {
        const c = recordClassOf(d.hint);
        return c === undefined || classes!.includes(c); // a row showing no class is opened to be sure
      };
      p = this.loadHours!(employeeId, from, to).then((docs) => this.arrange(classes ? docs.filter(keep) : docs));
      m.set(entry, p);
      const mine = m;
      p.catch(() => mine.delete(entry));
    }
    return p;
  }

  /** The sealing hours a bucket reads: [from, to). */
  private hoursOf(sealedDay: string): { from: number; to: number } {
    const { start, end } = localDayBounds(sealedDay, this.timeZone);
    // hours are whole UTC hours: the bucket starts at the hour holding local midnight (zones off by 30 min included)
    return { from: Math.floor(start / HOUR_MS) * HOUR_MS, to: Math.floor(end / HOUR_MS) * HOUR_MS };
  }

  employee(employeeId: string): Promise<EmployeeDays> {
    let p = this.cache.get(employeeId);
    if (p) {
      this.cache.delete(employeeId); // most recently used last
      this.cache.set(employeeId, p);
    } else {
      for (const e of this.cache.keys()) {
        if (this.cache.size < this.maxEmployees) break;
        this.cache.delete(e);
      }
      p = this.build(employeeId);
      this.cache.set(employeeId, p);
      p.catch(() => this.cache.delete(employeeId)); // a failed build is retried next time
    }
    return p;
  }

  /**
   * New rows sealed in these hours arrived for an employee: drop the opened
   * buckets holding those hours (and the whole-employee view), keep the
   * rest. A month's pull then leaves the day on screen opened once.
   */
  invalidateHours(employeeId: string, hours: Iterable<number>): void {
    this.changed(employeeId);
    this.cache.delete(employeeId);
    this.dropClasses(employeeId);
    const m = this.buckets.get(employeeId);
    if (!m) return;
    const hs = [...hours];
    if (hs.includes(0)) {
      this.buckets.delete(employeeId); // rows showing no hour are read with every bucket
      return;
    }
    for (const entry of [...m.keys()]) {
      const { from, to } = this.hoursOf(entry.split('|')[0]!);
      if (hs.some((h) => h >= from && h < to)) m.delete(entry);
    }
  }

  invalidate(employeeIds: Iterable<string>): void {
    for (const e of employeeIds) {
      this.changed(e);
      this.cache.delete(e);
      this.dropClasses(e);
      this.buckets.delete(e);
    }
  }

  clear(): void {
    this.cleared++;
    this.cache.clear();
    this.classes.clear();
    this.buckets.clear();
    this.recent.clear();
  }

  /**
   * The version of an employee's record set: it changes whenever a record of
   * theirs arrives, changes or goes (a deleted screenshot), so totals derived
   * from their records and kept under it are stale once it differs.
   */
  recordSetStamp(employeeId: string): string {
    return `${this.cleared}.${this.changes.get(employeeId) ?? 0}`;
  }

  private changed(employeeId: string): void {
    this.changes.set(employeeId, (this.changes.get(employeeId) ?? 0) + 1);
  }

  private dropClasses(employeeId: string): void {
    for (const k of [...this.classes.keys()]) if (k.startsWith(`${employeeId}\n`)) this.classes.delete(k);
  }

  private async build(employeeId: string): Promise<EmployeeDays> {
    return this.arrange(await this.load(employeeId));
  }

  private arrange(docs: readonly ReplicaDoc[]): EmployeeDays {
    const outcome = this.open(docs);
    const days = new Map<string, OpenedRecord[]>();
    for (const r of outcome.records) {
      const day = localDateOf(eventTime(r), this.timeZone);
      const list = days.get(day);
      if (list) list.push(r);
      else days.set(day, [r]);
    }
    for (const list of days.values()) list.sort((a, b) => eventTime(a) - eventTime(b));
    const hintOf = new Map(docs.map((d) => [d.id, d.hint]));
    const problems = new Map<string, RecordProblem[]>();
    for (const p of outcome.problems) {
      // a record that did not open has only its clear hint for a time: good enough to place a warning
      const t = hintOf.get(p.id)?.createdAt;
      const day = typeof t === 'number' ? localDateOf(t, this.timeZone) : '';
      problems.set(day, [...(problems.get(day) ?? []), p]);
    }
    return { days, problems, cannotOpen: outcome.cannotOpen };
  }
}
