// Outcomes of attempts that the database did not take (it could not be reached): kept in memory, in the order they
// ended, and written again with a growing pause between tries, so a delivery that was sent is recorded instead of
// being sent again once its lease runs out.

export interface OutcomeBacklogOptions {
  /** Outcomes kept at most; older ones beyond it are dropped (left to their leases). */
  limit: number;
  /** Pause after the first failed write. @default 100 */
  minDelayMs?: number;
  /** Longest pause between tries. @default 5000 */
  maxDelayMs?: number;
}

export class OutcomeBacklog<T> {
  private items: T[] = [];
  private failures = 0;
  private retryAt = 0;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly options: OutcomeBacklogOptions) {
    this.minDelayMs = options.minDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 5000;
  }

  /** Outcomes waiting to be written. */
  get size(): number {
    return this.items.length;
  }

  /**
   * Keeps outcomes whose write failed at `now` (ahead of any kept later) and sets when to try again: the pause
   * doubles with each failure in a row, up to maxDelayMs. Returns the oldest outcomes beyond the limit, which are
   * no longer kept.
   */
  keep(failed: readonly T[], now: number): T[] {
    this.items = [...failed, ...this.items];
    this.failures += 1;
    const delay = Math.min(this.maxDelayMs, this.minDelayMs * 2 ** Math.min(this.failures - 1, 30));
    this.retryAt = now + delay;
    const excess = this.items.length - this.options.limit;
    return excess > 0 ? this.items.splice(0, excess) : [];
  }

  /** How long until the next try, 0 when it is due. */
  waitMs(now: number): number {
    return this.items.length === 0 ? 0 : Math.max(0, this.retryAt - now);
  }

  /** The outcomes kept, oldest first, left in place. */
  peek(): readonly T[] {
    return this.items;
  }

  /** Every outcome kept, for the next write; the backlog is then empty until a write fails again. */
  takeAll(): T[] {
    const items = this.items;
    this.items = [];
    return items;
  }

  /** A write landed: the next failure pauses for minDelayMs again. */
  succeeded(): void {
    this.failures = 0;
    this.retryAt = 0;
  }
}
