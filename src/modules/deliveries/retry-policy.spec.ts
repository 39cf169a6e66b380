import fc from 'fast-check';
import type { DeliveryOutcome } from '../../transports/transport';
import { RetryPolicy } from './retry-policy';

const failure = (extra: Partial<DeliveryOutcome> = {}): DeliveryOutcome => ({
  ok: false,
  retryable: true,
  statusCode: 503,
  responseExcerpt: null,
  error: 'Service Unavailable',
  durationMs: 12,
  ...extra,
});
const success: DeliveryOutcome = { ...failure(), ok: true, statusCode: 200, error: null };

const NOW = new Date('2026-03-01T12:00:00.000Z');

/** Milliseconds from NOW to the retry `next` schedules; fails the test when it schedules none. */
function waitOf(policy: RetryPolicy, outcome: DeliveryOutcome, attemptsMade: number, now = NOW): number {
  const next = policy.next(outcome, attemptsMade, now);
  if (next.kind !== 'retry') throw new Error(`expected a retry, got ${next.kind}`);
  return next.at.getTime() - now.getTime();
}

// Seconds as DELIVERY_RETRY_SCHEDULE allows them: whole or decimal, not necessarily increasing.
const seconds = fc.oneof(
  fc.integer({ min: 0, max: 100_000 }),
  fc.double({ min: 0, max: 100_000, noNaN: true }),
);
const schedules = fc.array(seconds, { minLength: 2, maxLength: 12 });
// Math.random's range: 0 included, 1 not.
const randoms = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const instants = fc
  .integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) })
  .map((ms) => new Date(ms));

describe('RetryPolicy', () => {
  it('refuses an empty schedule', () => {
    expect(() => new RetryPolicy([])).toThrow('at least one attempt');
  });

  it('makes as many attempts as the schedule has steps', () => {
    expect(new RetryPolicy([0, 5, 300]).maxAttempts).toBe(3);
  });

  it('ends with SUCCEEDED on success and FAILED on a permanent failure, at any attempt', () => {
    const policy = new RetryPolicy([0, 5, 300]);
    for (const attemptsMade of [1, 2, 3, 4]) {
      expect(policy.next(success, attemptsMade)).toEqual({ kind: 'succeeded' });
      expect(policy.next(failure({ retryable: false, statusCode: 400 }), attemptsMade)).toEqual({
        kind: 'failed',
      });
    }
  });

  it('waits between the previous step and the next one: the lower end at 0, the upper end as 1 is approached', () => {
    const at = (random: number, attemptsMade: number) =>
      waitOf(new RetryPolicy([0, 5, 300, 1800], () => random), failure(), attemptsMade);
    expect(at(0, 1)).toBe(0);
    expect(at(0.5, 1)).toBe(2500);
    expect(at(0.999999, 1)).toBe(4999);
    expect(at(0, 2)).toBe(5000);
    expect(at(0.5, 2)).toBe(152_500);
    expect(at(0, 3)).toBe(300_000);
    expect(at(0.999999, 3)).toBe(1_799_998);
  });

  it('waits exactly the step when the schedule goes down rather than up', () => {
    const policy = new RetryPolicy([0, 300, 5], () => 0.7);
    expect(waitOf(policy, failure(), 2)).toBe(5000);
  });

  it('retries after every failed attempt but the last, which leaves the delivery DEAD', () => {
    fc.assert(
      fc.property(schedules, (schedule) => {
        const policy = new RetryPolicy(schedule);
        for (let attemptsMade = 1; attemptsMade < schedule.length; attemptsMade += 1) {
          expect(policy.next(failure(), attemptsMade).kind).toBe('retry');
        }
        expect(policy.next(failure(), schedule.length)).toEqual({ kind: 'dead' });
        expect(policy.next(failure(), schedule.length + 1)).toEqual({ kind: 'dead' });
      }),
    );
  });

  it('never waits less than the previous step nor more than the next one', () => {
    fc.assert(
      fc.property(schedules, randoms, instants, fc.nat(), (schedule, random, now, pick) => {
        const attemptsMade = 1 + (pick % (schedule.length - 1));
        const upper = schedule[attemptsMade] * 1000;
        const lower = Math.min(schedule[attemptsMade - 1] * 1000, upper);
        const wait = waitOf(new RetryPolicy(schedule, () => random), failure(), attemptsMade, now);
        // Dates hold whole milliseconds.
        expect(wait).toBeGreaterThanOrEqual(Math.floor(lower));
        expect(wait).toBeLessThanOrEqual(Math.ceil(upper));
      }),
    );
  });

  it('keeps those bounds with the default Math.random', () => {
    const policy = new RetryPolicy([0, 5, 300, 1800, 7200]);
    const bounds = [
      [0, 5000],
      [5000, 300_000],
      [300_000, 1_800_000],
      [1_800_000, 7_200_000],
    ];
    const outside: number[][] = [];
    for (let draw = 0; draw < 2000; draw += 1) {
      bounds.forEach(([lower, upper], index) => {
        const wait = waitOf(policy, failure(), index + 1);
        if (wait < lower || wait > upper) outside.push([index + 1, wait]);
      });
    }
    expect(outside).toEqual([]);
  });

  it('spreads the retries of receivers that failed together across the step', () => {
    const policy = new RetryPolicy([0, 300]);
    const waits = Array.from({ length: 1000 }, () => waitOf(policy, failure(), 1));
    // Ten equal slices of the step each get some of 1000 uniform draws (all but certainly: 1 - 10 * 0.9^1000).
    const slices = new Set(waits.map((wait) => Math.min(9, Math.floor(wait / 30_000))));
    expect(slices.size).toBe(10);
  });

  it('takes Retry-After as a floor up to the longest step: never earlier, and no later than the step when it asks for less', () => {
    fc.assert(
      fc.property(
        schedules,
        randoms,
        fc.integer({ min: 0, max: 200_000_000 }),
        fc.nat(),
        (schedule, random, retryAfterMs, pick) => {
          const attemptsMade = 1 + (pick % (schedule.length - 1));
          const upper = schedule[attemptsMade] * 1000;
          const policy = new RetryPolicy(schedule, () => random);
          const wait = waitOf(policy, failure({ statusCode: 429, retryAfterMs }), attemptsMade);
          const floor = Math.min(retryAfterMs, Math.max(...schedule) * 1000);
          expect(wait).toBeGreaterThanOrEqual(Math.floor(floor));
          expect(wait).toBeLessThanOrEqual(Math.max(Math.ceil(upper), Math.ceil(floor)));
          // The floor alone decides whether the delivery is retried: the last attempt stays the last.
          expect(policy.next(failure({ retryAfterMs }), schedule.length)).toEqual({ kind: 'dead' });
        },
      ),
    );
  });

  it('caps a Retry-After longer than the longest step at that step', () => {
    const policy = new RetryPolicy([0, 5, 60, 300], () => 0);
    const aDay = 24 * 3600 * 1000;
    expect(waitOf(policy, failure({ statusCode: 429, retryAfterMs: aDay }), 1)).toBe(300_000);
    expect(waitOf(policy, failure({ statusCode: 503, retryAfterMs: 120_000 }), 1)).toBe(120_000);
  });
});
