// Retention: finished deliveries (with their attempts) and notifications older than their retention are deleted in
// small batches, one stack at a time, each batch a statement of its own through the (stack_id, created_at) indexes,
// so no statement holds its locks for long. Plain SQL per database.
import type { EntityManager } from 'typeorm';
import { type DialectSql, dateValue, dialectOf, query } from '../../db/sql';

/** Statuses a delivery never leaves (a SUMMARISED row went out in its summary); PENDING and HELD may still be sent. */
const FINISHED = "('SUCCEEDED', 'FAILED', 'DEAD', 'SUMMARISED')";

const STACK_PAGE: DialectSql = {
  sqlite: 'SELECT id FROM stacks WHERE id > ? ORDER BY id LIMIT ?',
  postgres: 'SELECT id FROM stacks WHERE id > $1 ORDER BY id LIMIT $2',
};

/** Up to `limit` stack ids after `after`, in id order: the purge walks all stacks a page at a time. */
export async function stackIdsAfter(manager: EntityManager, after: string, limit: number): Promise<string[]> {
  const rows = await query<{ id: string }>(manager, STACK_PAGE, [after, limit]);
  return rows.map((row) => row.id);
}

const PURGE_DELIVERIES: DialectSql = {
  sqlite:
    'DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries ' +
    `WHERE stack_id = ? AND created_at < ? AND status IN ${FINISHED} LIMIT ?) RETURNING id`,
  postgres:
    'DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries ' +
    `WHERE stack_id = $1 AND created_at < $2 AND status IN ${FINISHED} LIMIT $3) RETURNING id`,
};

/** Deletes up to `limit` finished deliveries of a stack created before `before` (their attempts go with them). */
export async function purgeDeliveries(
  manager: EntityManager,
  stackId: string,
  before: Date,
  limit: number,
): Promise<number> {
  const rows = await query(manager, PURGE_DELIVERIES, [
    stackId,
    dateValue(dialectOf(manager), before),
    limit,
  ]);
  return rows.length;
}

const PURGE_NOTIFICATIONS: DialectSql = {
  sqlite:
    'DELETE FROM notifications WHERE id IN (SELECT n.id FROM notifications n ' +
    'WHERE n.stack_id = ? AND n.created_at < ? AND NOT EXISTS (SELECT 1 FROM deliveries d ' +
    `WHERE d.notification_id = n.id AND d.status NOT IN ${FINISHED}) LIMIT ?) RETURNING id`,
  postgres:
    'DELETE FROM notifications WHERE id IN (SELECT n.id FROM notifications n ' +
    'WHERE n.stack_id = $1 AND n.created_at < $2 AND NOT EXISTS (SELECT 1 FROM deliveries d ' +
    `WHERE d.notification_id = n.id AND d.status NOT IN ${FINISHED}) LIMIT $3) RETURNING id`,
};

/**
 * Deletes up to `limit` notifications of a stack created before `before` that have nothing left to send (their
 * deliveries, attempts and read marks go with them).
 */
export async function purgeNotifications(
  manager: EntityManager,
  stackId: string,
  before: Date,
  limit: number,
): Promise<number> {
  const rows = await query(manager, PURGE_NOTIFICATIONS, [
    stackId,
    dateValue(dialectOf(manager), before),
    limit,
  ]);
  return rows.length;
}
