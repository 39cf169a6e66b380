// The stored cells of a viewer's matrix (the stack's kind-level and channel cells and the viewer's personal ones, in
// one read) and the stack's channels, its shared columns.
// Plain SQL per database, read on every settings request.
import type { EntityManager } from 'typeorm';
import { type DialectSql, dialectOf, query, readBoolean } from '../../db/sql';
import type { ChannelKind, EventType } from '../events/event-types';

export interface StoredCell {
  eventType: EventType;
  /** The kind, for a stack's kind-level cell and a personal cell; null for a channel's cell. */
  channel: ChannelKind | null;
  /** The shared channel of a channel's cell (channel_preferences); null otherwise. */
  channelId: string | null;
  enabled: boolean;
  /** From user_preferences (the viewer's own) rather than the stack's. */
  personal: boolean;
}

interface StoredCellRow {
  event_type: string;
  channel: string | null;
  channel_id: string | null;
  enabled: boolean | number;
  personal: number;
}

const STACK_CELLS_SQLITE =
  'SELECT event_type, channel, NULL AS channel_id, enabled, 0 AS personal FROM stack_preferences WHERE stack_id = ? ' +
  'UNION ALL SELECT event_type, NULL, channel_id, enabled, 0 FROM channel_preferences WHERE stack_id = ? ';
const STACK_CELLS_POSTGRES =
  'SELECT event_type, channel, CAST(NULL AS varchar(36)) AS channel_id, enabled, 0 AS personal ' +
  'FROM stack_preferences WHERE stack_id = $1 ' +
  'UNION ALL SELECT event_type, NULL, channel_id, enabled, 0 FROM channel_preferences WHERE stack_id = $1 ';

// Personal rows last, so that a caller filling a map lets them win.
const CELLS: DialectSql = {
  sqlite:
    STACK_CELLS_SQLITE +
    'UNION ALL SELECT event_type, channel, NULL, enabled, 1 FROM user_preferences ' +
    'WHERE stack_id = ? AND user_id = ? ORDER BY personal',
  postgres:
    STACK_CELLS_POSTGRES +
    'UNION ALL SELECT event_type, channel, NULL, enabled, 1 FROM user_preferences ' +
    'WHERE stack_id = $1 AND user_id = $2 ORDER BY personal',
};

/**
 * The stored cells of `userId`'s matrix of a stack, the stack's first, then the user's; only `eventType`'s when given
 * (a stack has a few hundred stored cells at most: they are filtered here rather than by a second statement).
 */
export async function storedCells(
  manager: EntityManager,
  stackId: string,
  userId: string,
  eventType: EventType | null,
): Promise<StoredCell[]> {
  const sqlite = dialectOf(manager) === 'sqlite';
  const rows = await query<StoredCellRow>(
    manager,
    CELLS,
    sqlite ? [stackId, stackId, stackId, userId] : [stackId, userId],
  );
  return rows
    .filter((row) => eventType === null || row.event_type === eventType)
    .map((row) => ({
      eventType: row.event_type as EventType,
      channel: row.channel as ChannelKind | null,
      channelId: row.channel_id,
      enabled: readBoolean(row.enabled),
      personal: Number(row.personal) === 1,
    }));
}

export interface ChannelColumn {
  id: string;
  kind: ChannelKind;
}

const COLUMNS: DialectSql = {
  sqlite: 'SELECT id, kind FROM stack_channels WHERE stack_id = ? ORDER BY created_at, id',
  postgres: 'SELECT id, kind FROM stack_channels WHERE stack_id = $1 ORDER BY created_at, id',
};

/** The stack's shared channels, oldest first: the shared columns of its matrix. */
export function channelColumns(manager: EntityManager, stackId: string): Promise<ChannelColumn[]> {
  return query<ChannelColumn>(manager, COLUMNS, [stackId]);
}
