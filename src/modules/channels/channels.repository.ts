// The channels module's plain SQL: what a stack's shared channels show (read on every settings request), how they
// have been delivering, whether a user has an iOS device, and the cells a new channel starts from.
import type { EntityManager } from 'typeorm';
import { type DialectSql, query, readBoolean, readNullableDate } from '../../db/sql';
import type { ChannelKind } from '../events/event-types';
import type { StackChannel } from './stack-channel.entity';

/** What the API shows of a shared channel: no secret, no health bookkeeping. */
export type ChannelView = Pick<
  StackChannel,
  'id' | 'stackId' | 'kind' | 'name' | 'enabled' | 'disabledReason' | 'settings' | 'secretHint'
>;

interface ChannelViewRow {
  id: string;
  stack_id: string;
  kind: string;
  name: string;
  enabled: boolean | number;
  disabled_reason: string | null;
  settings: string | Record<string, unknown>;
  secret_hint: string;
}

const VIEWS: DialectSql = {
  sqlite:
    'SELECT id, stack_id, kind, name, enabled, disabled_reason, settings, secret_hint FROM stack_channels ' +
    'WHERE stack_id = ? ORDER BY created_at, id',
  postgres:
    'SELECT id, stack_id, kind, name, enabled, disabled_reason, settings, secret_hint FROM stack_channels ' +
    'WHERE stack_id = $1 ORDER BY created_at, id',
};

/** The shared channels of a stack, oldest first, as the API shows them. */
export async function channelViews(manager: EntityManager, stackId: string): Promise<ChannelView[]> {
  const rows = await query<ChannelViewRow>(manager, VIEWS, [stackId]);
  return rows.map((row) => ({
    id: row.id,
    stackId: row.stack_id,
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

/** How a shared channel has been delivering, from its deliveries and its failing streak. */
export interface ChannelHealthRow {
  channelId: string;
  lastDeliveryAt: Date | null;
  lastDeliveryOk: boolean | null;
  lastStatusCode: number | null;
  lastError: string | null;
  failingSince: Date | null;
  deadCount: number;
}

interface RawHealthRow {
  channel_id: string;
  failing_since: unknown;
  last_at: unknown;
  last_ok: boolean | number | null;
  last_status: number | null;
  last_error: string | null;
  dead_count: number | string;
}

/**
 * Per channel: the last attempt of its newest attempted delivery (ix_deliveries_target_created, then the delivery's
 * attempts by time), its dead deliveries, and its streak. A redelivered older delivery does not count as the last.
 */
function healthSql(where: string): string {
  return (
    'SELECT c.id AS channel_id, c.failing_since, a.at AS last_at, a.ok AS last_ok, a.status_code AS last_status, ' +
    'a.error AS last_error, ' +
    "(SELECT COUNT(*) FROM deliveries dd WHERE dd.target_id = c.id AND dd.status = 'DEAD') AS dead_count " +
    'FROM stack_channels c ' +
    'LEFT JOIN delivery_attempts a ON a.id = (' +
    'SELECT la.id FROM delivery_attempts la WHERE la.delivery_id = (' +
    'SELECT d.id FROM deliveries d WHERE d.target_id = c.id AND d.attempt_count > 0 ' +
    'ORDER BY d.created_at DESC, d.id DESC LIMIT 1) ' +
    'ORDER BY la.at DESC, la.id DESC LIMIT 1) ' +
    `WHERE ${where}`
  );
}

const HEALTH_OF_STACK: DialectSql = {
  sqlite: healthSql('c.stack_id = ?'),
  postgres: healthSql('c.stack_id = $1'),
};

function healthRow(row: RawHealthRow): ChannelHealthRow {
  return {
    channelId: row.channel_id,
    lastDeliveryAt: readNullableDate(row.last_at),
    lastDeliveryOk: row.last_ok === null ? null : readBoolean(row.last_ok),
    lastStatusCode: row.last_status,
    lastError: row.last_error,
    failingSince: readNullableDate(row.failing_since),
    deadCount: Number(row.dead_count),
  };
}

/** The health of every shared channel of a stack, in one statement. */
export async function stackChannelHealth(
  manager: EntityManager,
  stackId: string,
): Promise<ChannelHealthRow[]> {
  return (await query<RawHealthRow>(manager, HEALTH_OF_STACK, [stackId])).map(healthRow);
}
