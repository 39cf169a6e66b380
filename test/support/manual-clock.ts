// A clock the test sets: it stands still unless told to move, or runs from a chosen start at the machine's pace.
import type { Clock } from '../../src/lib/clock';

export class ManualClock implements Clock {
  private offsetMs: number;
  private frozenAt: number | null;

  /** `running`: time passes from `start` as on the machine (timeouts and leases still elapse); else it stands. */
  constructor(start: Date | string, options: { running?: boolean } = {}) {
    const at = new Date(start).getTime();
    this.frozenAt = options.running ? null : at;
    this.offsetMs = at - Date.now();
  }

  now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  /** Moves the clock to `at` (it keeps running or standing as before). */
  set(at: Date | string): void {
    const ms = new Date(at).getTime();
    if (this.frozenAt !== null) this.frozenAt = ms;
    else this.offsetMs = ms - Date.now();
  }

  advance(ms: number): void {
    this.set(new Date(this.now().getTime() + ms));
  }
}
