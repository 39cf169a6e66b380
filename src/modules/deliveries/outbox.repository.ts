// The outbox's hot statements: writing outbox rows with their notifications, the workers' claim and lease, closing
// attempts and logging them. Plain SQL per database, run on the manager given (a transaction's); rows are mapped
// to objects by the functions below.
import type { EntityManager } from 'typeorm';
import {
  type Dialect,
  type DialectSql,
  booleanValue,
  dateValue,
  dialectOf,
  insertValues,
  listParameter,
  query,
  readBoolean,
  readDate,
  readNullableDate,
} from '../../db/sql';
import type { ChannelSettings } from '../channels/stack-channel.entity';
import type { ChannelKind, EventType } from '../events/event-types';
import { type Delivery, type DeliveryAttempt, DeliveryStatus } from './delivery.entity';
import type { SharedChannelRow } from './targets';

// ---------------------------------------------------------------------------------------------------------------
// Outbox rows

const INSERT_DELIVERIES =
  'INSERT INTO deliveries (id, notification_id, stack_id, channel, target_id, user_id, target_label, status, ' +
  'attempt_count, next_attempt_at, lease_until, lease_owner, request_id, created_at, updated_at) VALUES';

function deliveryValues(dialect: Dialect, row: Delivery): unknown[] {
  return [
    row.id,
    row.notificationId,
    row.stackId,
    row.channel,
    row.targetId,
    row.userId,
    row.targetLabel,
    row.status,
    row.attemptCount,
    dateValue(dialect, row.nextAttemptAt),
    dateValue(dialect, row.leaseUntil),
    row.leaseOwner,
    row.requestId,
    dateValue(dialect, row.createdAt),
    dateValue(dialect, row.updatedAt),
  ];
}

/** Inserts outbox rows (of one or several notifications), in the transaction that writes the notifications. */
export async function insertDeliveries(manager: EntityManager, rows: readonly Delivery[]): Promise<void> {
  const dialect = dialectOf(manager);
  await insertValues(
    manager,
    INSERT_DELIVERIES,
    rows.map((row) => deliveryValues(dialect, row)),
  );
}

/** The PostgreSQL channel a commit that writes due deliveries notifies, and worker processes listen on. */
export const OUTBOX_CHANNEL = 'outbox_due';

/**
 * Wakes the workers of every process when the transaction of `manager` commits (PostgreSQL delivers a NOTIFY only
 * then, and one per channel per transaction). SQLite is one process: its workers are woken in process.
 */
export async function notifyDeliveriesDue(manager: EntityManager): Promise<void> {
  if (dialectOf(manager) !== 'postgres') return;
  await manager.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
}

// ---------------------------------------------------------------------------------------------------------------
// The claim

/** The columns of a claimed delivery that sending and recording it need. */
export interface ClaimedRow {
  id: string;
  notificationId: string;
  stackId: string;
  channel: ChannelKind;
  targetId: string;
  attemptCount: number;
  requestId: string | null;
}

/** A due delivery with what sending it needs, read in one query. */
export interface DueDelivery extends ClaimedRow {
  notification: DueNotification;
  /** The shared channel a delivery goes to (null for personal targets, or when the channel is gone). */
  sharedChannel: SharedChannelRow | null;
}

/** The notification of due deliveries: `data` is the stored JSON text. */
export interface DueNotification {
  id: string;
  eventType: EventType;
  data: string;
  occurredAt: Date;
  createdAt: Date;
  stack: { id: string; name: string; environment: string };
}

interface DueRow {
  id: string;
  notification_id: string;
  stack_id: string;
  channel: ChannelKind;
  target_id: string;
  attempt_count: number;
  request_id: string | null;
  event_type: EventType;
  data: string;
  occurred_at: string | Date;
  notification_created_at: string | Date;
  stack_name: string;
  stack_environment: string;
  channel_id: string | null;
  channel_kind: ChannelKind | null;
  channel_settings: string | null;
  channel_secret: string | null;
  channel_enabled: number | boolean | null;
  channel_previous_secret: string | null;
  channel_previous_secret_until: string | Date | null;
}

const DUE_SELECT = `
  SELECT d.id, d.notification_id, d.stack_id, d.channel, d.target_id, d.attempt_count, d.request_id,
    n.event_type, n.data, n.occurred_at, n.created_at AS notification_created_at,
    s.name AS stack_name, s.environment AS stack_environment,
    c.id AS channel_id, c.kind AS channel_kind, c.settings AS channel_settings, c.secret AS channel_secret,
    c.enabled AS channel_enabled, c.previous_secret AS channel_previous_secret,
    c.previous_secret_until AS channel_previous_secret_until
  FROM deliveries d
  INNER JOIN notifications n ON n.id = d.notification_id
  INNER JOIN stacks s ON s.id = n.stack_id
  LEFT JOIN stack_channels c ON c.id = d.target_id`;

/**
 * Due deliveries, oldest first, with their notification, its stack and the shared channel they go to; personal
 * targets (users, devices) are read by loadTargets. The status is a literal, not a parameter: it matches the partial
 * index ix_deliveries_due (pending rows) in any query plan. Several processes share the outbox on PostgreSQL: rows
 * another worker is claiming are skipped, not waited on, and only the deliveries are locked.
 */
export const DUE_DELIVERIES: DialectSql = {
  sqlite: `${DUE_SELECT}
  WHERE d.status = 'PENDING' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?)
  ORDER BY d.next_attempt_at
  LIMIT ?`,
  postgres: `${DUE_SELECT}
  WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until < $1)
  ORDER BY d.next_attempt_at
  LIMIT $2
  FOR UPDATE OF d SKIP LOCKED`,
};

/** DUE_DELIVERIES' parameters. */
export function dueParameters(dialect: Dialect, now: Date, limit: number): unknown[] {
  const at = dateValue(dialect, now);
  return dialect === 'sqlite' ? [at, at, limit] : [at, limit];
}

/** Reads up to `limit` deliveries due at `now`, without leasing them. */
export async function dueDeliveries(
  manager: EntityManager,
  now: Date,
  limit: number,
): Promise<DueDelivery[]> {
  const rows = await query<DueRow>(manager, DUE_DELIVERIES, dueParameters(dialectOf(manager), now, limit));
  // The deliveries of one notification (one per channel and recipient), and those of one shared channel, are often
  // claimed together: each notification and channel is mapped once per claim.
  const notifications = new Map<string, DueNotification>();
  const channels = new Map<string, SharedChannelRow>();
  return rows.map((row) => {
    let notification = notifications.get(row.notification_id);
    if (!notification) {
      notification = dueNotificationFromRow(row);
      notifications.set(row.notification_id, notification);
    }
    let sharedChannel: SharedChannelRow | null = null;
    if (row.channel_id !== null) {
      sharedChannel = channels.get(row.channel_id) ?? null;
      if (!sharedChannel) {
        sharedChannel = sharedChannelFromRow(row);
        channels.set(row.channel_id, sharedChannel);
      }
    }
    return {
      id: row.id,
      notificationId: row.notification_id,
      stackId: row.stack_id,
      channel: row.channel,
      targetId: row.target_id,
      attemptCount: Number(row.attempt_count),
      requestId: row.request_id,
      notification,
      sharedChannel,
    };
  });
}

function dueNotificationFromRow(row: DueRow): DueNotification {
  return {
    id: row.notification_id,
    eventType: row.event_type,
    data: row.data,
    occurredAt: readDate(row.occurred_at),
    createdAt: readDate(row.notification_created_at),
    stack: { id: row.stack_id, name: row.stack_name, environment: row.stack_environment },
  };
}

function sharedChannelFromRow(row: DueRow): SharedChannelRow {
  return {
    id: row.channel_id!,
    kind: row.channel_kind!,
    settings: JSON.parse(row.channel_settings!) as ChannelSettings,
    secret: row.channel_secret!,
    enabled: readBoolean(row.channel_enabled),
    previousSecret: row.channel_previous_secret,
    previousSecretUntil: readNullableDate(row.channel_previous_secret_until),
  };
}

const LEASE: DialectSql = {
  sqlite:
    'UPDATE deliveries SET lease_until = ?, lease_owner = ?, updated_at = ? ' +
    'WHERE id IN (SELECT value FROM json_each(?))',
  postgres: 'UPDATE deliveries SET lease_until = $1, lease_owner = $2, updated_at = $3 WHERE id = ANY($4)',
};

/** Leases the deliveries `ids` (just read by dueDeliveries, in the same transaction) to `owner`. */
export async function leaseDeliveries(
  manager: EntityManager,
  ids: readonly string[],
  lease: { owner: string; until: Date; now: Date },
): Promise<void> {
  const dialect = dialectOf(manager);
  await query(manager, LEASE, [
    dateValue(dialect, lease.until),
    lease.owner,
    dateValue(dialect, lease.now),
    listParameter(dialect, ids),
  ]);
}

// ---------------------------------------------------------------------------------------------------------------
// Closing attempts

const CLOSE_SUCCEEDED: DialectSql = {
  // The lease holder's row is unchanged since it was claimed: its count plus this attempt.
  sqlite: `UPDATE deliveries SET status = '${DeliveryStatus.SUCCEEDED}', attempt_count = attempt_count + 1,
    next_attempt_at = NULL, lease_until = NULL, lease_owner = NULL, updated_at = ?
    WHERE id IN (SELECT value FROM json_each(?)) AND lease_owner = ?
    RETURNING id`,
  postgres: `UPDATE deliveries SET status = '${DeliveryStatus.SUCCEEDED}', attempt_count = attempt_count + 1,
    next_attempt_at = NULL, lease_until = NULL, lease_owner = NULL, updated_at = $1
    WHERE id = ANY($2) AND lease_owner = $3
    RETURNING id`,
};

/** Closes the deliveries `ids` as succeeded where `owner` still holds their leases; returns how many it closed. */
export async function closeSucceeded(
  manager: EntityManager,
  ids: readonly string[],
  owner: string,
  updatedAt: Date,
): Promise<number> {
  const dialect = dialectOf(manager);
  const closed = await query(manager, CLOSE_SUCCEEDED, [
    dateValue(dialect, updatedAt),
    listParameter(dialect, ids),
    owner,
  ]);
  return closed.length;
}

const CLOSE_ONE: DialectSql = {
  sqlite: `UPDATE deliveries SET status = ?, attempt_count = ?, next_attempt_at = ?,
    lease_until = NULL, lease_owner = NULL, updated_at = ?
    WHERE id = ? AND lease_owner = ?
    RETURNING id`,
  postgres: `UPDATE deliveries SET status = $1, attempt_count = $2, next_attempt_at = $3,
    lease_until = NULL, lease_owner = NULL, updated_at = $4
    WHERE id = $5 AND lease_owner = $6
    RETURNING id`,
};

/** Ends a delivery's lease with its new state, if `owner` still holds it; returns whether it did. */
export async function closeAttempt(
  manager: EntityManager,
  close: {
    id: string;
    owner: string;
    status: DeliveryStatus;
    attemptCount: number;
    nextAttemptAt: Date | null;
    updatedAt: Date;
  },
): Promise<boolean> {
  const dialect = dialectOf(manager);
  const closed = await query(manager, CLOSE_ONE, [
    close.status,
    close.attemptCount,
    dateValue(dialect, close.nextAttemptAt),
    dateValue(dialect, close.updatedAt),
    close.id,
    close.owner,
  ]);
  return closed.length > 0;
}

const INSERT_ATTEMPTS =
  'INSERT INTO delivery_attempts (delivery_id, at, duration_ms, ok, status_code, response_excerpt, error) VALUES';

/** Logs attempts; their ids are assigned by the database. */
export async function insertAttempts(
  manager: EntityManager,
  attempts: readonly Omit<DeliveryAttempt, 'id'>[],
): Promise<void> {
  const dialect = dialectOf(manager);
  await insertValues(
    manager,
    INSERT_ATTEMPTS,
    attempts.map((attempt) => [
      attempt.deliveryId,
      dateValue(dialect, attempt.at),
      attempt.durationMs,
      booleanValue(dialect, attempt.ok),
      attempt.statusCode,
      attempt.responseExcerpt,
      attempt.error,
    ]),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Metrics

/** How many deliveries are pending, and when the oldest of them was created. */
export async function pendingStats(
  manager: EntityManager,
): Promise<{ pending: number; oldestCreatedAt: Date | null }> {
  // A literal status: it matches the partial index of pending rows (ix_deliveries_due) in any query plan.
  const [row] = await query<{ pending: number | string; oldest: string | Date | null }>(
    manager,
    `SELECT COUNT(*) AS pending, MIN(created_at) AS oldest FROM deliveries WHERE status = '${DeliveryStatus.PENDING}'`,
    [],
  );
  return { pending: Number(row?.pending ?? 0), oldestCreatedAt: readNullableDate(row?.oldest ?? null) };
}
