import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { cascade, integer, isPostgres, ref, timestamp, varchar } from '../column-types';

/**
 * Held deliveries, quiet hours and digests.
 *
 * A held delivery is an outbox row with status HELD, its reason and the group it waits in (one per recipient channel
 * and window), due at the window's end. Each group has one summary row, a PENDING delivery whose `summary_key` names
 * the group while it is open; the worker that claims it closes the group (clears the key) and marks the group's held
 * rows SUMMARISED in the same transaction, so each held row goes out in exactly one summary. A row held after its
 * group closed opens a new group under the same key.
 *
 * `delivery_windows` counts what a digested channel sent in its current window, durably, so the allowance holds
 * across restarts and instances.
 *
 * Quiet hours (per user) and digests (per stack and channel) are settings a publisher caches: writing them bumps the
 * settings_version of the stacks they concern, as migration 1764400000000 does for the rest.
 */
const byStack = (row: string) => `id = ${row}.stack_id`;
const byUser = (row: string) => `account_id = (SELECT account_id FROM users WHERE id = ${row}.user_id)`;
const BUMPS = [
  { table: 'quiet_hours', stacks: byUser },
  { table: 'stack_digests', stacks: byStack },
];
const EVENTS: ['INSERT' | 'UPDATE' | 'DELETE', 'NEW' | 'OLD'][] = [
  ['INSERT', 'NEW'],
  ['UPDATE', 'NEW'],
  ['DELETE', 'OLD'],
];

function triggerName(table: string, event: string): string {
  return `tr_${table}_${event.toLowerCase()}_settings_version`;
}

export class NoiseHolds1765020000000 implements MigrationInterface {
  name = 'NoiseHolds1765020000000';

  async up(q: QueryRunner): Promise<void> {
    // Plain ALTER TABLE: TypeORM's addColumn rebuilds the table (and its dependents) on SQLite.
    await q.query('ALTER TABLE deliveries ADD COLUMN held_reason varchar(20)');
    await q.query('ALTER TABLE deliveries ADD COLUMN hold_group varchar(200)');
    await q.query('ALTER TABLE deliveries ADD COLUMN summary_key varchar(200)');
    await q.query('ALTER TABLE deliveries ADD COLUMN summary_id varchar(36)');
    await q.query('ALTER TABLE deliveries ADD COLUMN summary_count integer');
    // Partial: almost no delivery has either, and an index of every row's NULL would cost each outbox insert.
    await q.query(
      'CREATE UNIQUE INDEX uq_deliveries_summary_key ON deliveries (summary_key) WHERE summary_key IS NOT NULL',
    );
    await q.query(
      'CREATE INDEX ix_deliveries_hold_group ON deliveries (hold_group) WHERE hold_group IS NOT NULL',
    );
    await q.createTable(
      new Table({
        name: 'delivery_windows',
        columns: [
          { ...varchar('window_key', 200), isPrimary: true },
          integer('sent'),
          timestamp(q, 'ends_at'),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'quiet_hours',
        columns: [
          { ...ref('user_id'), isPrimary: true },
          varchar('time_zone', 64),
          integer('start_minute'),
          integer('end_minute'),
          varchar('days', 100, true),
          timestamp(q, 'updated_at'),
        ],
        foreignKeys: [cascade('user_id', 'users')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'stack_digests',
        columns: [
          { ...ref('stack_id'), isPrimary: true },
          { ...varchar('channel', 10), isPrimary: true },
          integer('window_minutes'),
          integer('allowance'),
          timestamp(q, 'updated_at'),
        ],
        foreignKeys: [cascade('stack_id', 'stacks')],
      }),
    );
    const postgres = isPostgres(q);
    for (const bump of BUMPS) {
      for (const [event, row] of EVENTS) {
        const name = triggerName(bump.table, event);
        const update = `UPDATE stacks SET settings_version = settings_version + 1 WHERE ${bump.stacks(row)}`;
        if (postgres) {
          await q.query(
            `CREATE FUNCTION fn_${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${update}; RETURN NULL; END $$`,
          );
          await q.query(
            `CREATE TRIGGER ${name} AFTER ${event} ON ${bump.table} FOR EACH ROW EXECUTE FUNCTION fn_${name}()`,
          );
        } else {
          await q.query(`CREATE TRIGGER ${name} AFTER ${event} ON ${bump.table} BEGIN ${update}; END`);
        }
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const postgres = isPostgres(q);
    for (const bump of BUMPS) {
      for (const [event] of EVENTS) {
        const name = triggerName(bump.table, event);
        if (postgres) {
          await q.query(`DROP TRIGGER IF EXISTS ${name} ON ${bump.table}`);
          await q.query(`DROP FUNCTION IF EXISTS fn_${name}()`);
        } else {
          await q.query(`DROP TRIGGER IF EXISTS ${name}`);
        }
      }
    }
    await q.dropTable('stack_digests');
    await q.dropTable('quiet_hours');
    await q.dropTable('delivery_windows');
    await q.query('DROP INDEX ix_deliveries_hold_group');
    await q.query('DROP INDEX uq_deliveries_summary_key');
    for (const column of ['summary_count', 'summary_id', 'summary_key', 'hold_group', 'held_reason']) {
      await q.query(`ALTER TABLE deliveries DROP COLUMN ${column}`);
    }
  }
}
