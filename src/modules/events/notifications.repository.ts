// The publish path's statements on notifications: the batch insert and the idempotency-key lookup, in the publish
// transaction. Plain SQL per database; rows are mapped to entities by notificationFromRow.
import type { EntityManager } from 'typeorm';
import { type DialectSql, dateValue, dialectOf, insertValues, query, readDate } from '../../db/sql';
import type { EventType, Severity } from './event-types';
import { Notification } from './notification.entity';

const INSERT_NOTIFICATIONS =
  'INSERT INTO notifications (id, stack_id, account_id, event_type, data, severity, incident_id, occurred_at, ' +
  'idempotency_key, created_at) VALUES';

/** Inserts notifications whose every value is set in code. */
export async function insertNotifications(
  manager: EntityManager,
  notifications: readonly Notification[],
): Promise<void> {
  const dialect = dialectOf(manager);
  await insertValues(
    manager,
    INSERT_NOTIFICATIONS,
    notifications.map((notification) => [
      notification.id,
      notification.stackId,
      notification.accountId,
      notification.eventType,
      // simple-json: the JSON text, on both databases.
      JSON.stringify(notification.data),
      notification.severity,
      notification.incidentId,
      dateValue(dialect, notification.occurredAt),
      notification.idempotencyKey,
      dateValue(dialect, notification.createdAt),
    ]),
  );
}

interface NotificationRow {
  id: string;
  stack_id: string;
  account_id: string;
  event_type: EventType;
  data: string;
  severity: Severity;
  incident_id: string | null;
  occurred_at: string | Date;
  idempotency_key: string | null;
  created_at: string | Date;
}

function notificationFromRow(row: NotificationRow): Notification {
  // Not `new Notification()`, which would draw an id for nothing.
  const notification = Object.create(Notification.prototype) as Notification;
  notification.id = row.id;
  notification.stackId = row.stack_id;
  notification.accountId = row.account_id;
  notification.eventType = row.event_type;
  notification.data = JSON.parse(row.data) as Record<string, unknown>;
  notification.severity = row.severity;
  notification.incidentId = row.incident_id;
  notification.occurredAt = readDate(row.occurred_at);
  notification.idempotencyKey = row.idempotency_key;
  notification.createdAt = readDate(row.created_at);
  return notification;
}

const BY_IDEMPOTENCY_KEY: DialectSql = {
  prepareAs: 'notification_by_idempotency_key',
  sqlite:
    'SELECT id, stack_id, account_id, event_type, data, severity, incident_id, occurred_at, idempotency_key, created_at ' +
    'FROM notifications WHERE stack_id = ? AND idempotency_key = ?',
  postgres:
    'SELECT id, stack_id, account_id, event_type, data, severity, incident_id, occurred_at, idempotency_key, created_at ' +
    'FROM notifications WHERE stack_id = $1 AND idempotency_key = $2',
};

/** The stack's notification holding `idempotencyKey`, if one does. */
export async function notificationByIdempotencyKey(
  manager: EntityManager,
  stackId: string,
  idempotencyKey: string,
): Promise<Notification | null> {
  const [row] = await query<NotificationRow>(manager, BY_IDEMPOTENCY_KEY, [stackId, idempotencyKey]);
  return row ? notificationFromRow(row) : null;
}

const RELEASE_IDEMPOTENCY_KEY: DialectSql = {
  sqlite: 'UPDATE notifications SET idempotency_key = NULL WHERE id = ?',
  postgres: 'UPDATE notifications SET idempotency_key = NULL WHERE id = $1',
};

/** Clears a notification's idempotency key, so the unique index admits a new notification with it. */
export async function releaseIdempotencyKey(manager: EntityManager, notificationId: string): Promise<void> {
  await query(manager, RELEASE_IDEMPOTENCY_KEY, [notificationId]);
}
