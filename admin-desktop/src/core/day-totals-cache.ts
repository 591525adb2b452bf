/**
 * Totals derived per person and local day (project time, classified time),
 * kept under the stamp they were computed from: the person's record-set
 * version (OpenedIndex.recordSetStamp) plus whatever else they depend on
 * (the rule sets' version for classified time). A report over 100 people ×
 * 30 days is then an aggregation of kept day totals, and only a person
 * whose records changed (a new record, a deleted screenshot) or a changed
 * rule set makes days be computed again. The opened index cannot keep a
 * month of everyone's records in memory; these totals are small.
 */
export class DayTotalsCache<T> {
  private readonly byEmployee = new Map<string, { stamp: string; days: Map<string, T> }>();

  constructor(
    /** People kept; the least recently used is dropped beyond it. */
    private readonly maxEmployees = 2000,
  ) {}

  /**
   * The totals of `dates` for an employee: the kept ones when `stamp` is the
   * one they were kept under, the others from `compute` (called once, with
   * the missing dates ascending; it answers every one of them).
   */
  async days(
    employeeId: string,
    stamp: string,
    dates: readonly string[],
    compute: (missing: string[]) => Promise<ReadonlyMap<string, T>>,
    /** a kept value to compute again all the same (one that depends on the clock, e.g. an open session's day) */
    stale?: (v: T) => boolean,
  ): Promise<Map<string, T>> {
    let entry = this.byEmployee.get(employeeId);
    if (entry && entry.stamp !== stamp) entry = undefined;
    const kept = (d: string) => entry?.days.has(d) === true && !(stale && stale(entry.days.get(d)!));
    const missing = [...new Set(dates.filter((d) => !kept(d)))].sort();
    let computed: ReadonlyMap<string, T> = new Map();
    if (missing.length > 0) {
      computed = await compute(missing);
      for (const d of missing)
        if (!computed.has(d)) throw new Error(`day totals of ${employeeId}: ${d} was not computed`);
    }
    // another call may have stored meanwhile: keep its days when they are of the same stamp
    const now = this.byEmployee.get(employeeId);
    const keep = now && now.stamp === stamp ? now : { stamp, days: entry?.days ?? new Map<string, T>() };
    for (const [d, v] of computed) keep.days.set(d, v);
    this.byEmployee.delete(employeeId); // most recently used last
    this.byEmployee.set(employeeId, keep);
    for (const e of this.byEmployee.keys()) {
      if (this.byEmployee.size <= this.maxEmployees) break;
      this.byEmployee.delete(e);
    }
    return new Map(dates.map((d) => [d, keep.days.get(d)!]));
  }

  /** Days kept for an employee (tests and the bench's figures). */
  keptDays(employeeId: string): number {
    return this.byEmployee.get(employeeId)?.days.size ?? 0;
  }
}
