import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { bool, cascade, id, ref, text, timestamp, varchar } from '../column-types';

/** Accounts, people and tokens, stacks, channels and the preference matrix. */
export class Settings1764200000000 implements MigrationInterface {
  name = 'Settings1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'accounts',
        columns: [id(), varchar('name', 100), timestamp(q, 'created_at')],
        uniques: [{ name: 'uq_accounts_name', columnNames: ['name'] }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          ref('account_id'),
          varchar('email', 254),
          varchar('name', 100),
          varchar('role', 10),
          timestamp(q, 'created_at'),
        ],
        indices: [{ name: 'uq_users_account_email', columnNames: ['account_id', 'email'], isUnique: true }],
        foreignKeys: [cascade('account_id', 'accounts')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'api_tokens',
        columns: [
          id(),
          ref('user_id'),
          varchar('name', 100),
          text('scopes'),
          varchar('token_hash', 64),
          varchar('token_prefix', 16),
          timestamp(q, 'created_at'),
          timestamp(q, 'last_used_at', true),
          timestamp(q, 'revoked_at', true),
        ],
        uniques: [{ name: 'uq_api_tokens_hash', columnNames: ['token_hash'] }],
        indices: [{ name: 'ix_api_tokens_user', columnNames: ['user_id'] }],
        foreignKeys: [cascade('user_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'stacks',
        columns: [
          id(),
          ref('account_id'),
          varchar('name', 100),
          varchar('environment', 50),
          timestamp(q, 'created_at'),
        ],
        indices: [{ name: 'ix_stacks_account_created', columnNames: ['account_id', 'created_at', 'id'] }],
        foreignKeys: [cascade('account_id', 'accounts')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'stack_channels',
        columns: [
          id(),
          ref('stack_id'),
          varchar('kind', 10),
          text('settings'),
          text('secret'),
          varchar('secret_hint', 100),
          bool('enabled'),
          varchar('disabled_reason', 500, true),
          timestamp(q, 'created_at'),
          timestamp(q, 'updated_at'),
        ],
        indices: [
          { name: 'uq_stack_channels_stack_kind', columnNames: ['stack_id', 'kind'], isUnique: true },
        ],
        foreignKeys: [cascade('stack_id', 'stacks')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'stack_preferences',
        columns: [
          { ...ref('stack_id'), isPrimary: true },
          { ...varchar('event_type', 40), isPrimary: true },
          { ...varchar('channel', 10), isPrimary: true },
          bool('enabled'),
        ],
        foreignKeys: [cascade('stack_id', 'stacks')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'user_preferences',
        columns: [
          { ...ref('user_id'), isPrimary: true },
          { ...ref('stack_id'), isPrimary: true },
          { ...varchar('event_type', 40), isPrimary: true },
          { ...varchar('channel', 10), isPrimary: true },
          bool('enabled'),
        ],
        indices: [{ name: 'ix_user_preferences_stack', columnNames: ['stack_id', 'event_type', 'channel'] }],
        foreignKeys: [cascade('user_id', 'users'), cascade('stack_id', 'stacks')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'ios_devices',
        columns: [
          id(),
          ref('user_id'),
          varchar('token', 200),
          varchar('device_name', 100, true),
          timestamp(q, 'created_at'),
        ],
        uniques: [{ name: 'uq_ios_devices_token', columnNames: ['token'] }],
        indices: [{ name: 'ix_ios_devices_user', columnNames: ['user_id'] }],
        foreignKeys: [cascade('user_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'web_push_subscriptions',
        columns: [
          id(),
          ref('user_id'),
          varchar('endpoint', 2048),
          varchar('p256dh', 200),
          varchar('auth', 100),
          timestamp(q, 'created_at'),
        ],
        uniques: [{ name: 'uq_web_push_subscriptions_endpoint', columnNames: ['endpoint'] }],
        indices: [{ name: 'ix_web_push_subscriptions_user', columnNames: ['user_id'] }],
        foreignKeys: [cascade('user_id', 'users')],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'web_push_subscriptions',
      'ios_devices',
      'user_preferences',
      'stack_preferences',
      'stack_channels',
      'stacks',
      'api_tokens',
      'users',
      'accounts',
    ]) {
      await q.dropTable(table);
    }
  }
}
