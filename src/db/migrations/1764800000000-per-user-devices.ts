import { type MigrationInterface, type QueryRunner, TableUnique } from 'typeorm';
import { isPostgres } from '../column-types';

/**
 * An iOS device token or a Web Push endpoint is unique per user instead of overall: two people who register the same
 * phone or browser each get their own row, and registering never moves or removes another user's. The new unique
 * constraints lead with the token (endpoint), so the cleanup after APNs or a push service answers that it is gone
 * finds every row of it through them.
 */
const TABLES = [
  {
    table: 'ios_devices',
    column: 'token',
    global: 'uq_ios_devices_token',
    perUser: 'uq_ios_devices_token_user',
  },
  {
    table: 'web_push_subscriptions',
    column: 'endpoint',
    global: 'uq_web_push_subscriptions_endpoint',
    perUser: 'uq_web_push_subscriptions_endpoint_user',
  },
];

/** The CREATE TRIGGER statements of a SQLite table. */
async function sqliteTriggers(q: QueryRunner, table: string): Promise<string[]> {
  const rows = (await q.query(
    "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name",
    [table],
  )) as { sql: string }[];
  return rows.map((row) => row.sql);
}

async function replaceUnique(q: QueryRunner, table: string, drop: string, add: TableUnique): Promise<void> {
  // On SQLite a constraint changes by rebuilding the table, which drops its triggers (the settings_version ones of
  // migration 1764400000000): they are created again on the rebuilt table.
  const triggers = isPostgres(q) ? [] : await sqliteTriggers(q, table);
  await q.dropUniqueConstraint(table, drop);
  await q.createUniqueConstraint(table, add);
  const kept = isPostgres(q) ? [] : await sqliteTriggers(q, table);
  for (const trigger of triggers) if (!kept.includes(trigger)) await q.query(trigger);
}

export class PerUserDevices1764800000000 implements MigrationInterface {
  name = 'PerUserDevices1764800000000';

  async up(q: QueryRunner): Promise<void> {
    for (const { table, column, global, perUser } of TABLES) {
      await replaceUnique(
        q,
        table,
        global,
        new TableUnique({ name: perUser, columnNames: [column, 'user_id'] }),
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table, column, global, perUser } of TABLES) {
      // One row per token again: the latest registration keeps it, as it did before this migration.
      await q.query(
        `DELETE FROM ${table} WHERE EXISTS (SELECT 1 FROM ${table} later WHERE later.${column} = ${table}.${column} ` +
          `AND (later.created_at > ${table}.created_at OR (later.created_at = ${table}.created_at AND later.id > ${table}.id)))`,
      );
      await replaceUnique(q, table, perUser, new TableUnique({ name: global, columnNames: [column] }));
    }
  }
}
