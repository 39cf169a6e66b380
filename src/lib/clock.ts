// Where the service reads the time. Every rule that depends on the time (publish times, quiet hours, digest
// windows, when a delivery is due, retries, leases) reads the one Clock the process was built with, so the whole
// service can run against a clock that is set rather than read from the machine.

export interface Clock {
  /** The current time. */
  now(): Date;
}

/** The machine's clock. */
export const systemClock: Clock = {
  now: () => new Date(),
};

/**
 * A clock that never returns the same millisecond twice, so rows created in one process sort in the order they were
 * created even when several land within one millisecond (history pages by created_at, id).
 */
export class MonotonicClock {
  private last = 0;

  constructor(private readonly clock: Clock) {}

  now(): Date {
    const now = this.clock.now().getTime();
    this.last = now > this.last ? now : this.last + 1;
    return new Date(this.last);
  }
}
