// The outbox's hot statements: writing outbox rows with their notifications, the workers' claim and lease, closing
// attempts and logging them, failing what waits for a removed channel. Plain SQL per database, run on the manager
// given (a transaction's); rows are mapped to objects by the functions below.
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
import { ChannelKind, type EventType, type Severity } from '../events/event-types';
import type { IncidentSnapshot } from '../events/notification-payload';
import { type Delivery, type DeliveryAttempt, DeliveryStatus, type HeldReason } from './delivery.entity';
import type { PersonalTargetRow, SharedChannelRow } from './targets';

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

const INSERT_HELD_DELIVERIES =
  'INSERT INTO deliveries (id, notification_id, stack_id, channel, target_id, user_id, target_label, status, ' +
  'attempt_count, next_attempt_at, lease_until, lease_owner, request_id, created_at, updated_at, ' +
  'held_reason, hold_group) VALUES';

/**
 * Inserts outbox rows (of one or several notifications), in the transaction that writes the notifications. Held
 * rows (rare) take a statement of their own, so the common insert binds no columns they alone use.
 */
export async function insertDeliveries(manager: EntityManager, rows: readonly Delivery[]): Promise<void> {
  const dialect = dialectOf(manager);
  const held = rows.filter((row) => row.holdGroup !== null);
  const plain = held.length === 0 ? rows : rows.filter((row) => row.holdGroup === null);
  await insertValues(
    manager,
    INSERT_DELIVERIES,
    plain.map((row) => deliveryValues(dialect, row)),
  );
  await insertValues(
    manager,
    INSERT_HELD_DELIVERIES,
    held.map((row) => [...deliveryValues(dialect, row), row.heldReason, row.holdGroup]),
  );
}

const UPSERT_SUMMARY: DialectSql = {
  // DO UPDATE, not DO NOTHING: on PostgreSQL it locks an open summary row until this transaction commits, so no
  // worker claims (and closes) the group while a row held for it here is not yet visible. A row that a worker has
  // closed meanwhile no longer holds the key, and this insert opens a new group.
  sqlite: `INSERT INTO deliveries (id, notification_id, stack_id, channel, target_id, user_id, target_label, status,
    attempt_count, next_attempt_at, lease_until, lease_owner, request_id, created_at, updated_at,
    held_reason, hold_group, summary_key, summary_count)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (summary_key) WHERE summary_key IS NOT NULL DO UPDATE SET updated_at = excluded.updated_at`,
  postgres: `INSERT INTO deliveries (id, notification_id, stack_id, channel, target_id, user_id, target_label, status,
    attempt_count, next_attempt_at, lease_until, lease_owner, request_id, created_at, updated_at,
    held_reason, hold_group, summary_key, summary_count)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
    ON CONFLICT (summary_key) WHERE summary_key IS NOT NULL DO UPDATE SET updated_at = excluded.updated_at`,
};

/** Writes the summary rows of held deliveries' groups (outbox.ts summaryRows), keeping any group's open one. */
export async function upsertSummaries(manager: EntityManager, rows: readonly Delivery[]): Promise<void> {
  const dialect = dialectOf(manager);
  for (const row of rows) {
    await query(manager, UPSERT_SUMMARY, [
      ...deliveryValues(dialect, row),
      row.heldReason,
      row.holdGroup,
      row.summaryKey,
      row.summaryCount,
    ]);
  }
}

const UPSERT_SETTLE: DialectSql = {
  // As UPSERT_SUMMARY; a recipient's open row moves to the later time and the later transition.
  sqlite: `INSERT INTO deliveries (id, notification_id, stack_id, channel, target_id, user_id, target_label, status,
    attempt_count, next_attempt_at, lease_until, lease_owner, request_id, created_at, updated_at,
    held_reason, hold_group, summary_key, summary_count)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (summary_key) WHERE summary_key IS NOT NULL DO UPDATE SET
      next_attempt_at = excluded.next_attempt_at, notification_id = excluded.notification_id,
      updated_at = excluded.updated_at`,
  postgres: `INSERT INTO deliveries (id, notification_id, stack_id, channel, target_id, user_id, target_label, status,
    attempt_count, next_attempt_at, lease_until, lease_owner, request_id, created_at, updated_at,
    held_reason, hold_group, summary_key, summary_count)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
    ON CONFLICT (summary_key) WHERE summary_key IS NOT NULL DO UPDATE SET
      next_attempt_at = excluded.next_attempt_at, notification_id = excluded.notification_id,
      updated_at = excluded.updated_at`,
};

const MOVE_SETTLE: DialectSql = {
  sqlite: `UPDATE deliveries SET next_attempt_at = ?, notification_id = ?, updated_at = ?
    WHERE hold_group = ? AND summary_key IS NOT NULL`,
  postgres: `UPDATE deliveries SET next_attempt_at = $1, notification_id = $2, updated_at = $3
    WHERE hold_group = $4 AND summary_key IS NOT NULL`,
};

/**
 * After a transition of a flapping subject: writes the "settled" rows of the recipient channels it was held for
 * (outbox.ts settleRows), and moves every open one of the subject (`group`) to its new settling time and to this
 * transition, whoever it was held for. Runs after the transition's notification is written.
 */
export async function upsertSettleRows(
  manager: EntityManager,
  rows: readonly Delivery[],
  settle: { group: string; settlesAt: Date; notificationId: string; now: Date },
): Promise<void> {
  const dialect = dialectOf(manager);
  for (const row of rows) {
    await query(manager, UPSERT_SETTLE, [
      ...deliveryValues(dialect, row),
      row.heldReason,
      row.holdGroup,
      row.summaryKey,
      row.summaryCount,
    ]);
  }
  await query(manager, MOVE_SETTLE, [
    dateValue(dialect, settle.settlesAt),
    settle.notificationId,
    dateValue(dialect, settle.now),
    settle.group,
  ]);
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

/**
 * Lets a transaction that only leases deliveries commit without waiting for its WAL to reach the disk. A lease lost
 * with the last moments of a crashed PostgreSQL only lets the row be claimed and sent again, as an expired lease
 * does (at-least-once, one webhook-id); a transaction that records outcomes waits for the disk as usual.
 */
export async function leaseWithoutFlushWait(manager: EntityManager): Promise<void> {
  if (dialectOf(manager) !== 'postgres') return;
  await manager.query('SET LOCAL synchronous_commit TO off');
}

/** The columns of a claimed delivery that sending and recording it need. */
export interface ClaimedRow {
  id: string;
  notificationId: string;
  stackId: string;
  channel: ChannelKind;
  targetId: string;
  attemptCount: number;
  requestId: string | null;
  /** Set on summary rows: the group whose held rows it carries, and why they waited. */
  summary: { group: string; reason: HeldReason } | null;
}

/** A due delivery with what sending it needs, read in one query. */
export interface DueDelivery extends ClaimedRow {
  notification: DueNotification;
  /** The shared channel a delivery goes to (null for personal targets, or when the channel is gone). */
  sharedChannel: SharedChannelRow | null;
  /** The address, device or subscription a personal delivery goes to (null for shared channels, or when gone). */
  personalTarget: PersonalTargetRow | null;
}

/** The notification of due deliveries: `data` is the stored JSON text. */
export interface DueNotification {
  id: string;
  eventType: EventType;
  severity: Severity;
  /** The incident as the notification carried it when published. */
  incident: IncidentSnapshot | null;
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
  held_reason: HeldReason | null;
  hold_group: string | null;
  summary_count: number | string | null;
  event_type: EventType;
  severity: Severity;
  data: string;
  occurred_at: string | Date;
  notification_created_at: string | Date;
  incident_id: string | null;
  incident_family: string | null;
  incident_subject: string | null;
  incident_opened_at: string | Date | null;
  incident_resolved_at: string | Date | null;
  incident_resolved_by: string | null;
  stack_name: string;
  stack_environment: string;
  channel_id: string | null;
  channel_kind: ChannelKind | null;
  channel_settings: string | null;
  channel_secret: string | null;
  channel_enabled: number | boolean | null;
  channel_previous_secret: string | null;
  channel_previous_secret_until: string | Date | null;
  user_email: string | null;
  device_token: string | null;
  push_endpoint: string | null;
  push_p256dh: string | null;
  push_auth: string | null;
}

// Personal targets as subqueries by primary key, not joins: each is planned on its own, while every join adds to the
// search for a join order (the claim took 6.5 to 8.5 ms to plan with these three as joins, 2 ms without).
const PERSONAL_TARGET_COLUMNS = [
  "(SELECT u.email FROM users u WHERE d.channel = 'EMAIL' AND u.id = d.target_id) AS user_email",
  "(SELECT dev.token FROM ios_devices dev WHERE d.channel = 'IOS' AND dev.id = d.target_id) AS device_token",
  ...['endpoint', 'p256dh', 'auth'].map(
    (column) =>
      `(SELECT w.${column} FROM web_push_subscriptions w WHERE d.channel = 'BROWSER' AND w.id = d.target_id) ` +
      `AS push_${column}`,
  ),
].join(',\n    ');

const DUE_SELECT = `
  SELECT d.id, d.notification_id, d.stack_id, d.channel, d.target_id, d.attempt_count, d.request_id,
    d.held_reason, d.hold_group, d.summary_count,
    n.event_type, n.severity, n.data, n.occurred_at, n.created_at AS notification_created_at,
    i.id AS incident_id, i.family AS incident_family, i.subject AS incident_subject,
    i.opened_at AS incident_opened_at, i.resolved_at AS incident_resolved_at,
    i.resolved_by_notification_id AS incident_resolved_by,
    s.name AS stack_name, s.environment AS stack_environment,
    c.id AS channel_id, c.kind AS channel_kind, c.settings AS channel_settings, c.secret AS channel_secret,
    c.enabled AS channel_enabled, c.previous_secret AS channel_previous_secret,
    c.previous_secret_until AS channel_previous_secret_until,
    ${PERSONAL_TARGET_COLUMNS}
  FROM deliveries d
  INNER JOIN notifications n ON n.id = d.notification_id
  INNER JOIN stacks s ON s.id = n.stack_id
  LEFT JOIN stack_channels c ON c.id = d.target_id
  LEFT JOIN incidents i ON i.id = n.incident_id`;

/**
 * Due deliveries, oldest first, with their notification, its stack and the shared channel they go to; personal
 * targets (users, devices) are read by loadTargets. The status is a literal, not a parameter: it matches the partial
 * index ix_deliveries_due (pending rows) in any query plan. Several processes share the outbox on PostgreSQL: rows
 * another worker is claiming are skipped, not waited on, and only the deliveries are locked.
 */
export const DUE_DELIVERIES: DialectSql = {
  prepareAs: 'outbox_due',
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
      summary:
        row.summary_count !== null && row.hold_group !== null && row.held_reason !== null
          ? { group: row.hold_group, reason: row.held_reason }
          : null,
      notification,
      sharedChannel,
      personalTarget: personalTargetFromRow(row),
    };
  });
}

function personalTargetFromRow(row: DueRow): PersonalTargetRow | null {
  switch (row.channel) {
    case ChannelKind.EMAIL:
      return row.user_email === null ? null : { channel: ChannelKind.EMAIL, email: row.user_email };
    case ChannelKind.IOS:
      return row.device_token === null ? null : { channel: ChannelKind.IOS, token: row.device_token };
    case ChannelKind.BROWSER:
      return row.push_endpoint === null
        ? null
        : {
            channel: ChannelKind.BROWSER,
            endpoint: row.push_endpoint,
            p256dh: row.push_p256dh!,
            auth: row.push_auth!,
          };
    default:
      return null;
  }
}

function dueNotificationFromRow(row: DueRow): DueNotification {
  return {
    id: row.notification_id,
    eventType: row.event_type,
    severity: row.severity,
    incident: incidentFromRow(row),
    data: row.data,
    occurredAt: readDate(row.occurred_at),
    createdAt: readDate(row.notification_created_at),
    stack: { id: row.stack_id, name: row.stack_name, environment: row.stack_environment },
  };
}

/** As it was when the notification was published: resolved only in the notification that resolved it. */
function incidentFromRow(row: DueRow): IncidentSnapshot | null {
  if (row.incident_id === null) return null;
  const openedAt = readDate(row.incident_opened_at);
  const resolvedHere = row.incident_resolved_by === row.notification_id;
  const resolvedAt = resolvedHere ? readNullableDate(row.incident_resolved_at) : null;
  return {
    id: row.incident_id,
    family: row.incident_family!,
    subject: row.incident_subject!,
    state: resolvedAt ? 'RESOLVED' : 'OPEN',
    openedAt: openedAt.toISOString(),
    resolvedAt: resolvedAt?.toISOString() ?? null,
    duration: resolvedAt ? Math.max(0, Math.round((resolvedAt.getTime() - openedAt.getTime()) / 1000)) : null,
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
  prepareAs: 'outbox_lease',
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
// Summaries

/** The first few notifications of a summary, for its text, and how many it carries. */
export interface SummaryContent {
  count: number;
  first: { id: string; eventType: EventType; data: string; occurredAt: Date }[];
}

const CLOSE_GROUP: DialectSql = {
  sqlite: 'UPDATE deliveries SET summary_key = NULL WHERE id = ?',
  postgres: 'UPDATE deliveries SET summary_key = NULL WHERE id = $1',
};

const TAKE_HELD: DialectSql = {
  sqlite: `UPDATE deliveries SET status = '${DeliveryStatus.SUMMARISED}', summary_id = ?, next_attempt_at = NULL,
    updated_at = ? WHERE hold_group = ? AND status = '${DeliveryStatus.HELD}'`,
  postgres: `UPDATE deliveries SET status = '${DeliveryStatus.SUMMARISED}', summary_id = $1, next_attempt_at = NULL,
    updated_at = $2 WHERE hold_group = $3 AND status = '${DeliveryStatus.HELD}'`,
};

const SUMMARY_COUNT: DialectSql = {
  sqlite: 'SELECT COUNT(*) AS count FROM deliveries WHERE hold_group = ? AND summary_id = ?',
  postgres: 'SELECT COUNT(*) AS count FROM deliveries WHERE hold_group = $1 AND summary_id = $2',
};

const SUMMARY_FIRST: DialectSql = {
  sqlite: `SELECT n.id, n.event_type, n.data, n.occurred_at FROM deliveries d
    INNER JOIN notifications n ON n.id = d.notification_id
    WHERE d.hold_group = ? AND d.summary_id = ? ORDER BY n.created_at, n.id LIMIT ?`,
  postgres: `SELECT n.id, n.event_type, n.data, n.occurred_at FROM deliveries d
    INNER JOIN notifications n ON n.id = d.notification_id
    WHERE d.hold_group = $1 AND d.summary_id = $2 ORDER BY n.created_at, n.id LIMIT $3`,
};

const SET_SUMMARY_COUNT: DialectSql = {
  sqlite: 'UPDATE deliveries SET summary_count = ? WHERE id = ?',
  postgres: 'UPDATE deliveries SET summary_count = $1 WHERE id = $2',
};

/**
 * Gathers a claimed summary row's group, in the claim's transaction: closes the group to more held rows, marks its
 * HELD rows SUMMARISED in this summary, and reads what the summary says. Claimed again (after a crash, or
 * redelivered), it carries the same rows as before. Only the summary row's lease holder gets here, so a group is
 * gathered by one worker at a time.
 */
export async function gatherSummary(
  manager: EntityManager,
  summary: { id: string; group: string },
  now: Date,
  firstCount: number,
): Promise<SummaryContent> {
  const dialect = dialectOf(manager);
  await query(manager, CLOSE_GROUP, [summary.id]);
  await query(manager, TAKE_HELD, [summary.id, dateValue(dialect, now), summary.group]);
  const [counted] = await query<{ count: number | string }>(manager, SUMMARY_COUNT, [
    summary.group,
    summary.id,
  ]);
  const count = Number(counted?.count ?? 0);
  await query(manager, SET_SUMMARY_COUNT, [count, summary.id]);
  const first = await query<{ id: string; event_type: EventType; data: string; occurred_at: string | Date }>(
    manager,
    SUMMARY_FIRST,
    [summary.group, summary.id, firstCount],
  );
  return {
    count,
    first: first.map((row) => ({
      id: row.id,
      eventType: row.event_type,
      data: row.data,
      occurredAt: readDate(row.occurred_at),
    })),
  };
}

/** A flapping summary's held notifications by event type: how many, and the first and last time. */
export interface FlappingCounts {
  byEventType: { eventType: EventType; count: number; firstAt: Date; lastAt: Date }[];
  /** The event type of the last of them: the state the subject was left in. */
  lastEventType: EventType | null;
}

const FLAPPING_COUNTS: DialectSql = {
  sqlite: `SELECT n.event_type, COUNT(*) AS count, MIN(n.occurred_at) AS first_at, MAX(n.occurred_at) AS last_at
    FROM deliveries d INNER JOIN notifications n ON n.id = d.notification_id
    WHERE d.hold_group = ? AND d.summary_id = ? GROUP BY n.event_type`,
  postgres: `SELECT n.event_type, COUNT(*) AS count, MIN(n.occurred_at) AS first_at, MAX(n.occurred_at) AS last_at
    FROM deliveries d INNER JOIN notifications n ON n.id = d.notification_id
    WHERE d.hold_group = $1 AND d.summary_id = $2 GROUP BY n.event_type`,
};

const FLAPPING_LAST: DialectSql = {
  sqlite: `SELECT n.event_type FROM deliveries d INNER JOIN notifications n ON n.id = d.notification_id
    WHERE d.hold_group = ? AND d.summary_id = ? ORDER BY n.created_at DESC, n.id DESC LIMIT 1`,
  postgres: `SELECT n.event_type FROM deliveries d INNER JOIN notifications n ON n.id = d.notification_id
    WHERE d.hold_group = $1 AND d.summary_id = $2 ORDER BY n.created_at DESC, n.id DESC LIMIT 1`,
};

/** What a gathered flapping summary (gatherSummary) says beyond its count: per event type, and the last state. */
export async function flappingCounts(
  manager: EntityManager,
  summary: { id: string; group: string },
): Promise<FlappingCounts> {
  const rows = await query<{
    event_type: EventType;
    count: number | string;
    first_at: string | Date;
    last_at: string | Date;
  }>(manager, FLAPPING_COUNTS, [summary.group, summary.id]);
  const [last] = await query<{ event_type: EventType }>(manager, FLAPPING_LAST, [summary.group, summary.id]);
  return {
    byEventType: rows
      .map((row) => ({
        eventType: row.event_type,
        count: Number(row.count),
        firstAt: readDate(row.first_at),
        lastAt: readDate(row.last_at),
      }))
      .sort((a, b) => a.firstAt.getTime() - b.firstAt.getTime()),
    lastEventType: last?.event_type ?? null,
  };
}

/** Closes a claimed "settled" row's key, so the subject's next flapping gets rows of its own. */
export async function closeSettleRow(manager: EntityManager, id: string): Promise<void> {
  await query(manager, CLOSE_GROUP, [id]);
}

const CLOSE_EMPTY_SUMMARY: DialectSql = {
  sqlite: `UPDATE deliveries SET status = '${DeliveryStatus.SUMMARISED}', next_attempt_at = NULL, lease_until = NULL,
    lease_owner = NULL, updated_at = ? WHERE id = ?`,
  postgres: `UPDATE deliveries SET status = '${DeliveryStatus.SUMMARISED}', next_attempt_at = NULL,
    lease_until = NULL, lease_owner = NULL, updated_at = $1 WHERE id = $2`,
};

/** Closes a summary with nothing left to carry (its held rows were all redelivered on their own) without sending. */
export async function closeEmptySummary(manager: EntityManager, id: string, now: Date): Promise<void> {
  await query(manager, CLOSE_EMPTY_SUMMARY, [dateValue(dialectOf(manager), now), id]);
}

// ---------------------------------------------------------------------------------------------------------------
// Closing attempts

const CLOSE_SUCCEEDED: DialectSql = {
  prepareAs: 'outbox_close_succeeded',
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
  prepareAs: 'outbox_close_one',
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
  'INSERT INTO delivery_attempts (delivery_id, at, duration_ms, ok, status_code, response_excerpt, error, ' +
  'request_sent, response_received) VALUES';

/** An attempt to log; what it sent and received is optional (JSON text, already bounded). */
export type AttemptRow = Omit<DeliveryAttempt, 'id' | 'requestSent' | 'responseReceived'> &
  Partial<Pick<DeliveryAttempt, 'requestSent' | 'responseReceived'>>;

/** Logs attempts; their ids are assigned by the database. */
export async function insertAttempts(manager: EntityManager, attempts: readonly AttemptRow[]): Promise<void> {
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
      attempt.requestSent ?? null,
      attempt.responseReceived ?? null,
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

// Only rows no worker holds: one being sent right now finishes, and its outcome is recorded.
const STOP_WAITING: DialectSql = {
  sqlite:
    "UPDATE deliveries SET status = 'FAILED', updated_at = ? WHERE target_id = ? " +
    "AND status IN ('PENDING', 'HELD') AND (lease_until IS NULL OR lease_until < ?) RETURNING id",
  postgres:
    "UPDATE deliveries SET status = 'FAILED', updated_at = $1 WHERE target_id = $2 " +
    "AND status IN ('PENDING', 'HELD') AND (lease_until IS NULL OR lease_until < $1) RETURNING id",
};

/** Fails the deliveries still waiting for a channel being removed; how many. */
export async function stopWaitingDeliveries(
  manager: EntityManager,
  channelId: string,
  now: Date,
): Promise<number> {
  const dialect = dialectOf(manager);
  const at = dateValue(dialect, now);
  const rows = await query(
    manager,
    STOP_WAITING,
    dialect === 'sqlite' ? [at, channelId, at] : [at, channelId],
  );
  return rows.length;
}
