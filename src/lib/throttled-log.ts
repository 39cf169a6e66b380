// A failure that repeats (a dependency that does not answer) logged once per interval with how often it happened,
// instead of once per occurrence, and a line when it stops.
import type { Logger } from './logger';

export class ThrottledLog {
  private lastLoggedAt = -Infinity;
  /** Occurrences since the last line. */
  private unlogged = 0;
  private failing = false;

  constructor(
    private readonly log: Logger,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Logs the failure if none was logged in the last interval, with the count of those that were not. */
  error(details: Record<string, unknown>, message: string): void {
    this.failing = true;
    this.unlogged += 1;
    const now = this.now();
    if (now - this.lastLoggedAt < this.intervalMs) return;
    this.log.error({ ...details, occurrences: this.unlogged }, message);
    this.lastLoggedAt = now;
    this.unlogged = 0;
  }

  /** The failure stopped: logs `message` once, with the occurrences not logged yet. */
  recovered(message: string): void {
    if (!this.failing) return;
    this.log.info({ occurrences: this.unlogged }, message);
    this.failing = false;
    this.unlogged = 0;
    this.lastLoggedAt = -Infinity;
  }
}
