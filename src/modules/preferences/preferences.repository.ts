// The stored cells of a viewer's matrix: the stack's shared cells and the viewer's personal ones, in one read.
// Plain SQL per database, read on every settings request.
import type { EntityManager } from 'typeorm';
import { type DialectSql, dialectOf, query, readBoolean } from '../../db/sql';
import type { ChannelKind, EventType } from '../events/event-types';

export interface StoredCell {
  eventType: EventType;
  channel: ChannelKind;
  enabled: boolean;
  /** From user_preferences (the viewer's own) rather than stack_preferences. */
  personal: boolean;
}

interface StoredCellRow {
  event_type: string;
  channel: string;
  enabled: boolean | number;
  personal: number;
}

// Personal rows last, so that a caller filling a map lets them win.
const CELLS: DialectSql = {
  sqlite:
    'SELECT event_type, channel, enabled, 0 AS personal FROM stack_preferences WHERE stack_id = ? ' +
    'UNION ALL SELECT event_type, channel, enabled, 1 AS personal FROM user_preferences ' +
    'WHERE stack_id = ? AND user_id = ? ORDER BY personal',
  postgres:
    'SELECT event_type, channel, enabled, 0 AS personal FROM stack_preferences WHERE stack_id = $1 ' +
    'UNION ALL SELECT event_type, channel, enabled, 1 AS personal FROM user_preferences ' +
    'WHERE stack_id = $1 AND user_id = $2 ORDER BY personal',
};

const CELLS_OF_EVENT: DialectSql = {
  sqlite:
    'SELECT event_type, channel, enabled, 0 AS personal FROM stack_preferences ' +
    'WHERE stack_id = ? AND event_type = ? ' +
    'UNION ALL SELECT event_type, channel, enabled, 1 AS personal FROM user_preferences ' +
    'WHERE stack_id = ? AND user_id = ? AND event_type = ? ORDER BY personal',
  postgres:
    'SELECT event_type, channel, enabled, 0 AS personal FROM stack_preferences ' +
    'WHERE stack_id = $1 AND event_type = $3 ' +
    'UNION ALL SELECT event_type, channel, enabled, 1 AS personal FROM user_preferences ' +
    'WHERE stack_id = $1 AND user_id = $2 AND event_type = $3 ORDER BY personal',
};

/** The stored cells of `userId`'s matrix of a stack, shared ones first; only `eventType`'s when given. */
export async function storedCells(
  manager: EntityManager,
  stackId: string,
  userId: string,
  eventType: EventType | null,
): Promise<StoredCell[]> {
  const sqlite = dialectOf(manager) === 'sqlite';
  const rows =
    eventType === null
      ? await query<StoredCellRow>(manager, CELLS, sqlite ? [stackId, stackId, userId] : [stackId, userId])
      : await query<StoredCellRow>(
          manager,
          CELLS_OF_EVENT,
          sqlite ? [stackId, eventType, stackId, userId, eventType] : [stackId, userId, eventType],
        );
  return rows.map((row) => ({
    eventType: row.event_type as EventType,
    channel: row.channel as ChannelKind,
    enabled: readBoolean(row.enabled),
    personal: Number(row.personal) === 1,
  }));
}
