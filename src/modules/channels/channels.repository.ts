// The settings page's reads of channels: what a stack's shared channels show, and whether a user has an iOS device.
// Plain SQL per database, read on every settings request.
import type { EntityManager } from 'typeorm';
import { type DialectSql, query, readBoolean } from '../../db/sql';
import type { ChannelKind } from '../events/event-types';
import type { StackChannel } from './stack-channel.entity';

/** What the API shows of a shared channel: no secret, no health bookkeeping. */
export type ChannelView = Pick<
  StackChannel,
  'kind' | 'enabled' | 'disabledReason' | 'settings' | 'secretHint'
>;

interface ChannelViewRow {
  kind: string;
  enabled: boolean | number;
  disabled_reason: string | null;
  settings: string | Record<string, unknown>;
  secret_hint: string;
}

const VIEWS: DialectSql = {
  sqlite:
    'SELECT kind, enabled, disabled_reason, settings, secret_hint FROM stack_channels WHERE stack_id = ?',
  postgres:
    'SELECT kind, enabled, disabled_reason, settings, secret_hint FROM stack_channels WHERE stack_id = $1',
};

/** The shared channels of a stack, as the API shows them. */
export async function channelViews(manager: EntityManager, stackId: string): Promise<ChannelView[]> {
  const rows = await query<ChannelViewRow>(manager, VIEWS, [stackId]);
  return rows.map((row) => ({
    kind: row.kind as ChannelKind,
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
