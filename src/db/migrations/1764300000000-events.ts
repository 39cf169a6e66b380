import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { bool, cascade, id, integer, ref, text, timestamp, varchar } from '../column-types';

/** Notifications, read state, the delivery outbox with its attempt log, and server-held secrets (VAPID keys). */
export class Events1764300000000 implements MigrationInterface {
  name = 'Events1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'notifications',
        columns: [
          id(),
          ref('stack_id'),
          ref('account_id'),
          varchar('event_type', 40),
          text('data'),
          timestamp(q, 'occurred_at'),
          varchar('idempotency_key', 200, true),
          timestamp(q, 'created_at'),
        ],
        indices: [
          { name: 'ix_notifications_stack_created', columnNames: ['stack_id', 'created_at', 'id'] },
          {
            name: 'uq_notifications_stack_idempotency',
            columnNames: ['stack_id', 'idempotency_key'],
            isUnique: true,
          },
        ],
        foreignKeys: [cascade('stack_id', 'stacks')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'notification_read_markers',
        columns: [
          { ...ref('user_id'), isPrimary: true },
          { ...ref('stack_id'), isPrimary: true },
          timestamp(q, 'read_through'),
        ],
        foreignKeys: [cascade('user_id', 'users'), cascade('stack_id', 'stacks')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'notification_reads',
        columns: [
          { ...ref('user_id'), isPrimary: true },
          { ...ref('notification_id'), isPrimary: true },
          ref('stack_id'),
          timestamp(q, 'created_at'),
        ],
        indices: [{ name: 'ix_notification_reads_user_stack', columnNames: ['user_id', 'stack_id'] }],
        foreignKeys: [cascade('user_id', 'users'), cascade('notification_id', 'notifications')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'deliveries',
        columns: [
          id(),
          ref('notification_id'),
          ref('stack_id'),
          varchar('channel', 10),
          ref('target_id'),
          varchar('target_label', 300),
          ref('user_id', true),
          varchar('status', 10),
          integer('attempt_count'),
          timestamp(q, 'next_attempt_at', true),
          timestamp(q, 'lease_until', true),
          varchar('lease_owner', 64, true),
          varchar('request_id', 100, true),
          timestamp(q, 'created_at'),
          timestamp(q, 'updated_at'),
        ],
        indices: [
          { name: 'ix_deliveries_due', columnNames: ['status', 'next_attempt_at'] },
          { name: 'ix_deliveries_stack_created', columnNames: ['stack_id', 'created_at', 'id'] },
          { name: 'ix_deliveries_notification', columnNames: ['notification_id'] },
          { name: 'ix_deliveries_stack_user', columnNames: ['stack_id', 'user_id'] },
        ],
        foreignKeys: [cascade('notification_id', 'notifications')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'delivery_attempts',
        columns: [
          id(),
          ref('delivery_id'),
          timestamp(q, 'at'),
          integer('duration_ms'),
          bool('ok'),
          integer('status_code', true),
          text('response_excerpt', true),
          text('error', true),
        ],
        indices: [{ name: 'ix_delivery_attempts_delivery', columnNames: ['delivery_id', 'at'] }],
        foreignKeys: [cascade('delivery_id', 'deliveries')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'server_secrets',
        columns: [{ ...varchar('name', 100), isPrimary: true }, text('value'), timestamp(q, 'created_at')],
      }),
    );
    // Delivery state of shared channels: failing streaks disable them; a rotated webhook secret stays valid a while.
    await q.addColumns('stack_channels', [
      new TableColumn(timestamp(q, 'failing_since', true)),
      new TableColumn(text('previous_secret', true)),
      new TableColumn(timestamp(q, 'previous_secret_until', true)),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumns('stack_channels', ['failing_since', 'previous_secret', 'previous_secret_until']);
    for (const table of [
      'server_secrets',
      'delivery_attempts',
      'deliveries',
      'notification_reads',
      'notification_read_markers',
      'notifications',
    ]) {
      await q.dropTable(table);
    }
  }
}
