/**
 * Builds and pushes a subscriber's values one build at a time. While a month
 * of records arrives, builds started every 250 ms piled up on the CPU and none
 * finished before the pull did: now a subscriber has at most one build running
 * and one more asked for after it; and a build that started earlier never
 * overwrites a later one's value.
 */
export interface Subscriber<V, E> {
  push: (v: V) => void;
  fail: (e: E) => void;
}

export class SerialPublisher<S extends Subscriber<never, never>> {
  /** Subscribers whose value is being built; true when another build was asked for meanwhile. */
  private readonly building = new Map<S, boolean>();
  private publishes = 0;
  private readonly pushed = new WeakMap<S, number>();

  constructor(
    /** whether the subscriber still listens (an unsubscribed one gets nothing more) */
    private readonly listening: (s: S) => boolean,
    private readonly build: (s: S) => Promise<Parameters<S['push']>[0]>,
    private readonly toError: (err: unknown) => Parameters<S['fail']>[0],
  ) {}

  async publish(s: S): Promise<void> {
    if (this.building.has(s)) {
      this.building.set(s, true);
      return;
    }
    this.building.set(s, false);
    const n = ++this.publishes;
    const current = () => this.listening(s) && n > (this.pushed.get(s) ?? 0) && (this.pushed.set(s, n), true);
    try {
      const v = await this.build(s);
      if (current()) s.push(v);
    } catch (err) {
      if (current()) s.fail(this.toError(err));
    } finally {
      const again = this.building.get(s) === true;
      this.building.delete(s);
      if (again && this.listening(s)) void this.publish(s);
    }
  }
}
