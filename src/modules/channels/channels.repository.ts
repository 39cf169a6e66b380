// The channels module's plain SQL: what a stack's shared channels show (read on every settings request), whether a
// user has an iOS device, and the cells a new channel starts from.
import type { EntityManager } from 'typeorm';
import { type DialectSql, query, readBoolean } from '../../db/sql';
import type { ChannelKind } from '../events/event-types';
import type { StackChannel } from './stack-channel.entity';

/** What the API shows of a shared channel: no secret, no health bookkeeping. */
export type ChannelView = Pick<
  StackChannel,
  'id' | 'kind' | 'name' | 'enabled' | 'disabledReason' | 'settings' | 'secretHint'
>;

interface ChannelViewRow {
  id: string;
  kind: string;
  name: string;
  enabled: boolean | number;
  disabled_reason: string | null;
  settings: string | Record<string, unknown>;
  secret_hint: string;
}

const VIEWS: DialectSql = {
  sqlite:
    'SELECT id, kind, name, enabled, disabled_reason, settings, secret_hint FROM stack_channels ' +
    'WHERE stack_id = ? ORDER BY created_at, id',
  postgres:
    'SELECT id, kind, name, enabled, disabled_reason, settings, secret_hint FROM stack_channels ' +
    'WHERE stack_id = $1 ORDER BY created_at, id',
};

/** The shared channels of a stack, oldest first, as the API shows them. */
export async function channelViews(manager: EntityManager, stackId: string): Promise<ChannelView[]> {
  const rows = await query<ChannelViewRow>(manager, VIEWS, [stackId]);
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind as ChannelKind,
    name: row.name,
    enabled: readBoolean(row.enabled),
    disabledReason: row.disabled_reason,
    // simple-json: text on both databases.
    settings: (typeof row.settings === 'string'
      ? JSON.parse(row.settings)
      : row.settings) as StackChannel['settings'],
    secretHint: row.secret_hint,
  }));
}

const HAS_DEVICE: DialectSql = {
  sqlite: 'SELECT 1 AS found FROM ios_devices WHERE user_id = ? LIMIT 1',
  postgres: 'SELECT 1 AS found FROM ios_devices WHERE user_id = $1 LIMIT 1',
};

export async function hasIosDevice(manager: EntityManager, userId: string): Promise<boolean> {
  return (await query(manager, HAS_DEVICE, [userId])).length > 0;
}

const COPY_KIND_CELLS: DialectSql = {
  sqlite:
    'INSERT INTO channel_preferences (channel_id, event_type, stack_id, enabled) ' +
    'SELECT ?, event_type, stack_id, enabled FROM stack_preferences WHERE stack_id = ? AND channel = ?',
  postgres:
    'INSERT INTO channel_preferences (channel_id, event_type, stack_id, enabled) ' +
    'SELECT $1, event_type, stack_id, enabled FROM stack_preferences WHERE stack_id = $2 AND channel = $3',
};

/** A new channel starts from the cells its stack set for its kind through the deprecated kind-level operations. */
export async function copyKindCells(
  manager: EntityManager,
  channel: Pick<StackChannel, 'id' | 'stackId' | 'kind'>,
): Promise<void> {
  await query(manager, COPY_KIND_CELLS, [channel.id, channel.stackId, channel.kind]);
}
