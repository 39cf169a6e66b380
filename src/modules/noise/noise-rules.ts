// The noise rules a publish applies to each delivery it writes, from settings already in memory (the recipients
// cache): quiet hours hold a person's own channels below CRITICAL; a flapping subject's notifications wait for its
// window's summary (incidents.service.ts decides whether it flaps); a digest holds what a channel gets beyond its
// allowance in a window. Held deliveries wait in the outbox (outbox.ts) and go out in one summary per group.
import type { EntityManager } from 'typeorm';
import { dateValue, dialectOf, query, type DialectSql } from '../../db/sql';
import { type Delivery, DeliveryStatus, HeldReason } from '../deliveries/delivery.entity';
import { holdGroupKey, holdUntil, type HoldPlanner } from '../deliveries/outbox';
import { type ChannelKind, isSharedChannel } from '../events/event-types';
import type { FlappingRule } from './flapping-rule';
import { quietUntil, type QuietHoursRule } from './quiet-hours';

export interface DigestRule {
  windowMinutes: number;
  allowance: number;
}

/** A stack's noise settings, as the recipients cache holds them. */
export interface NoiseSettings {
  /** By user id, for the users of the stack's account who set quiet hours. */
  quietHours: ReadonlyMap<string, QuietHoursRule>;
  /** By channel. */
  digests: ReadonlyMap<ChannelKind, DigestRule>;
  /** The stack's own flapping rule; null: the environment's. */
  flapping: FlappingRule | null;
}

export const NO_NOISE_SETTINGS: NoiseSettings = { quietHours: new Map(), digests: new Map(), flapping: null };

/**
 * Holds a notification's deliveries to people in their quiet hours, unless it is critical: their own channels only
 * (email, iOS, browser push), never shared ones. Each person's window end is worked out once per notification.
 */
export function quietHoursPlanner(settings: NoiseSettings, critical: boolean, now: Date): HoldPlanner | null {
  if (critical || settings.quietHours.size === 0) return null;
  const untilByUser = new Map<string, Date | null>();
  return (delivery) => {
    if (delivery.userId === null || isSharedChannel(delivery.channel)) return null;
    const rule = settings.quietHours.get(delivery.userId);
    if (!rule) return null;
    let until = untilByUser.get(delivery.userId);
    if (until === undefined) untilByUser.set(delivery.userId, (until = quietUntil(rule, now)));
    return until ? holdUntil(HeldReason.HELD_QUIET_HOURS, until) : null;
  };
}

/**
 * Holds every delivery of a notification whose subject flaps until the end of its window, in one group per subject:
 * critical ones too, since the window's summary is what tells of them. Quiet hours come first (firstHold), so what
 * a person's quiet hours hold still waits for their morning.
 */
export function flappingPlanner(hold: { windowEnd: Date; subjectKey: string } | null): HoldPlanner | null {
  if (!hold) return null;
  const decision = holdUntil(HeldReason.FLAPPING, hold.windowEnd, hold.subjectKey);
  return () => decision;
}

/** The first hold any of the planners decides. */
export function firstHold(...planners: (HoldPlanner | null)[]): HoldPlanner | null {
  const present = planners.filter((planner): planner is HoldPlanner => planner !== null);
  if (present.length === 0) return null;
  if (present.length === 1) return present[0];
  return (delivery) => {
    for (const planner of present) {
      const hold = planner(delivery);
      if (hold) return hold;
    }
    return null;
  };
}

/** The digest window `now` falls in: windows of the rule's length, aligned to the UTC epoch (so to hours and days). */
export function digestWindow(rule: DigestRule, now: Date): { start: Date; until: Date } {
  const length = rule.windowMinutes * 60_000;
  const start = Math.floor(now.getTime() / length) * length;
  return { start: new Date(start), until: new Date(start + length) };
}

const COUNT_IN_WINDOW: DialectSql = {
  sqlite: `INSERT INTO delivery_windows (window_key, sent, ends_at) VALUES (?, ?, ?)
    ON CONFLICT (window_key) DO UPDATE SET sent = delivery_windows.sent + excluded.sent RETURNING sent`,
  postgres: `INSERT INTO delivery_windows (window_key, sent, ends_at) VALUES ($1, $2, $3)
    ON CONFLICT (window_key) DO UPDATE SET sent = delivery_windows.sent + excluded.sent RETURNING sent`,
};

const FORGET_WINDOWS: DialectSql = {
  sqlite: 'DELETE FROM delivery_windows WHERE ends_at < ?',
  postgres: 'DELETE FROM delivery_windows WHERE ends_at < $1',
};

/**
 * Applies the stacks' digests to outbox rows about to be written (in publish order), in the transaction that writes
 * them: per channel target and window, what comes beyond the allowance is held for the window's digest. What a
 * window has seen is counted in delivery_windows, so the allowance holds across batches, restarts and instances.
 * Runs one statement per digested target in the batch, and none when no stack of the batch has digests.
 */
export async function applyDigests(
  manager: EntityManager,
  rows: readonly Delivery[],
  digestsOf: (stackId: string) => ReadonlyMap<ChannelKind, DigestRule>,
  now: Date,
): Promise<void> {
  const windows = new Map<string, { rule: DigestRule; until: Date; rows: Delivery[] }>();
  for (const row of rows) {
    if (row.status !== DeliveryStatus.PENDING) continue;
    const rule = digestsOf(row.stackId).get(row.channel);
    if (!rule) continue;
    const { start, until } = digestWindow(rule, now);
    const key = `${row.stackId}:${row.channel}:${row.targetId}:${start.getTime()}`;
    const window = windows.get(key);
    if (window) window.rows.push(row);
    else windows.set(key, { rule, until, rows: [row] });
  }
  if (windows.size === 0) return;
  const dialect = dialectOf(manager);
  await query(manager, FORGET_WINDOWS, [dateValue(dialect, now)]);
  for (const [key, window] of windows) {
    const [counted] = await query<{ sent: number | string }>(manager, COUNT_IN_WINDOW, [
      key,
      window.rows.length,
      dateValue(dialect, window.until),
    ]);
    const before = Number(counted.sent) - window.rows.length;
    const allowed = Math.max(0, window.rule.allowance - before);
    const hold = holdUntil(HeldReason.DIGESTED, window.until);
    for (const row of window.rows.slice(allowed)) {
      row.status = DeliveryStatus.HELD;
      row.nextAttemptAt = window.until;
      row.heldReason = hold.reason;
      row.holdGroup = holdGroupKey(row.stackId, row, hold);
    }
  }
}
