// The publish path's statements on incidents, in the publish transaction: open one (or find the one open) for a
// failure, resolve the open one for a recovery. Plain SQL per database. Concurrent publishers on PostgreSQL meet at
// the unique partial index of open incidents: the second insert waits for the first transaction, then does nothing,
// and the open incident is read again.
import type { EntityManager } from 'typeorm';
import { type DialectSql, dateValue, dialectOf, query, readDate } from '../../db/sql';

export interface OpenIncidentRow {
  id: string;
  openedAt: Date;
}

interface IncidentRow {
  id: string;
  opened_at: string | Date;
}

const OPEN_INCIDENT: DialectSql = {
  prepareAs: 'incident_open',
  sqlite:
    "SELECT id, opened_at FROM incidents WHERE stack_id = ? AND family = ? AND subject = ? AND state = 'OPEN'",
  postgres:
    "SELECT id, opened_at FROM incidents WHERE stack_id = $1 AND family = $2 AND subject = $3 AND state = 'OPEN'",
};

const INSERT_OPEN: DialectSql = {
  sqlite:
    'INSERT INTO incidents (id, stack_id, account_id, family, subject, state, opened_at) ' +
    "VALUES (?, ?, ?, ?, ?, 'OPEN', ?) " +
    "ON CONFLICT (stack_id, family, subject) WHERE state = 'OPEN' DO NOTHING RETURNING id, opened_at",
  postgres:
    'INSERT INTO incidents (id, stack_id, account_id, family, subject, state, opened_at) ' +
    "VALUES ($1, $2, $3, $4, $5, 'OPEN', $6) " +
    "ON CONFLICT (stack_id, family, subject) WHERE state = 'OPEN' DO NOTHING RETURNING id, opened_at",
};

const RESOLVE_OPEN: DialectSql = {
  sqlite:
    "UPDATE incidents SET state = 'RESOLVED', resolved_at = ?, resolved_by_notification_id = ? " +
    "WHERE stack_id = ? AND family = ? AND subject = ? AND state = 'OPEN' RETURNING id, opened_at",
  postgres:
    "UPDATE incidents SET state = 'RESOLVED', resolved_at = $1, resolved_by_notification_id = $2 " +
    "WHERE stack_id = $3 AND family = $4 AND subject = $5 AND state = 'OPEN' RETURNING id, opened_at",
};

function fromRow(row: IncidentRow): OpenIncidentRow {
  return { id: row.id, openedAt: readDate(row.opened_at) };
}

export interface IncidentKey {
  stackId: string;
  family: string;
  subject: string;
}

/** The open incident of `key`, if there is one. */
export async function openIncident(
  manager: EntityManager,
  key: IncidentKey,
): Promise<OpenIncidentRow | null> {
  const [row] = await query<IncidentRow>(manager, OPEN_INCIDENT, [key.stackId, key.family, key.subject]);
  return row ? fromRow(row) : null;
}

/**
 * Opens an incident for `key` unless one is open; returns the open incident and whether this call opened it. On
 * PostgreSQL an insert racing another transaction's waits for it and then finds its incident.
 */
export async function openOrJoinIncident(
  manager: EntityManager,
  key: IncidentKey,
  incident: { id: string; accountId: string; openedAt: Date },
): Promise<{ incident: OpenIncidentRow; opened: boolean }> {
  const dialect = dialectOf(manager);
  for (let attempt = 0; attempt < 3; attempt++) {
    const existing = await openIncident(manager, key);
    if (existing) return { incident: existing, opened: false };
    const [inserted] = await query<IncidentRow>(manager, INSERT_OPEN, [
      incident.id,
      key.stackId,
      incident.accountId,
      key.family,
      key.subject,
      dateValue(dialect, incident.openedAt),
    ]);
    if (inserted) return { incident: fromRow(inserted), opened: true };
    // Another transaction opened one (and committed) between the read and the insert: join it. Should it have been
    // resolved meanwhile, this failure opens a new one on the next turn.
  }
  throw new Error(`the open incident of ${key.family} "${key.subject}" kept changing`);
}

/** Resolves the open incident of `key` with a recovery notification; null when none is open. */
export async function resolveOpenIncident(
  manager: EntityManager,
  key: IncidentKey,
  resolution: { notificationId: string; at: Date },
): Promise<OpenIncidentRow | null> {
  const [row] = await query<IncidentRow>(manager, RESOLVE_OPEN, [
    dateValue(dialectOf(manager), resolution.at),
    resolution.notificationId,
    key.stackId,
    key.family,
    key.subject,
  ]);
  return row ? fromRow(row) : null;
}
