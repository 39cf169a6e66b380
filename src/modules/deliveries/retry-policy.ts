// When to try a delivery again. The schedule (DELIVERY_RETRY_SCHEDULE) gives, for each attempt, the longest wait
// before it; the actual wait is drawn uniformly between the previous step and this one ("full jitter" within the
// step), so receivers that failed together are not retried together. Retry-After is a floor, capped at the
// schedule's longest step: a receiver cannot park a delivery for longer than the schedule would.
import type { DeliveryOutcome } from '../../transports/transport';

export type NextStep =
  { kind: 'succeeded' } | { kind: 'failed' } | { kind: 'dead' } | { kind: 'retry'; at: Date };

export class RetryPolicy {
  private readonly longestStepMs: number;

  constructor(
    /** Seconds before each attempt; index 0 is the first attempt. */
    private readonly schedule: readonly number[],
    private readonly random: () => number = Math.random,
  ) {
    if (schedule.length === 0) throw new Error('the retry schedule needs at least one attempt');
    this.longestStepMs = Math.max(...schedule) * 1000;
  }

  get maxAttempts(): number {
    return this.schedule.length;
  }

  /** What follows an attempt, given how many attempts have now been made (1 after the first). */
  next(outcome: DeliveryOutcome, attemptsMade: number, now: Date = new Date()): NextStep {
    if (outcome.ok) return { kind: 'succeeded' };
    if (!outcome.retryable) return { kind: 'failed' };
    if (attemptsMade >= this.schedule.length) return { kind: 'dead' };
    const upper = this.schedule[attemptsMade] * 1000;
    const lower = Math.min(this.schedule[attemptsMade - 1] * 1000, upper);
    const jittered = lower + this.random() * (upper - lower);
    const wait = Math.max(jittered, Math.min(outcome.retryAfterMs ?? 0, this.longestStepMs));
    return { kind: 'retry', at: new Date(now.getTime() + wait) };
  }
}
