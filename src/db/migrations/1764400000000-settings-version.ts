import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres } from '../column-types';

/**
 * A per-stack counter of the settings that decide who gets a notification: its channels, its stack and user
 * preferences, and its account's users, iOS devices and Web Push subscriptions. Triggers bump it in the writing
 * transaction, whatever code path writes, so a publisher that caches a stack's audience only has to compare the
 * counter it reads with the stack to know its cache is current, on every instance.
 */
interface Bump {
  table: string;
  /** Only these columns count on UPDATE; null means any. */
  columns: string[] | null;
  /** The stacks to bump, given the row as `r`. */
  stacks: (r: string) => string;
}

const byStack = (r: string) => `id = ${r}.stack_id`;
const byUser = (r: string) => `account_id = (SELECT account_id FROM users WHERE id = ${r}.user_id)`;

const BUMPS: Bump[] = [
  { table: 'stack_channels', columns: ['kind', 'settings', 'enabled'], stacks: byStack },
  { table: 'stack_preferences', columns: null, stacks: byStack },
  { table: 'user_preferences', columns: null, stacks: byStack },
  { table: 'users', columns: ['account_id', 'email'], stacks: (r) => `account_id = ${r}.account_id` },
  { table: 'ios_devices', columns: null, stacks: byUser },
  { table: 'web_push_subscriptions', columns: null, stacks: byUser },
];

const EVENTS: ['INSERT' | 'UPDATE' | 'DELETE', 'NEW' | 'OLD'][] = [
  ['INSERT', 'NEW'],
  ['UPDATE', 'NEW'],
  ['DELETE', 'OLD'],
];

function triggerName(table: string, event: string): string {
  return `tr_${table}_${event.toLowerCase()}_settings_version`;
}

export class SettingsVersion1764400000000 implements MigrationInterface {
  name = 'SettingsVersion1764400000000';

  async up(q: QueryRunner): Promise<void> {
    // Plain ALTER TABLE: TypeORM's addColumn rebuilds the table (and its dependents) on SQLite.
    await q.query('ALTER TABLE stacks ADD COLUMN settings_version integer NOT NULL DEFAULT 0');
    const postgres = isPostgres(q);
    for (const bump of BUMPS) {
      for (const [event, row] of EVENTS) {
        const of = event === 'UPDATE' && bump.columns ? ` OF ${bump.columns.join(', ')}` : '';
        const name = triggerName(bump.table, event);
        const update = `UPDATE stacks SET settings_version = settings_version + 1 WHERE ${bump.stacks(row)}`;
        if (postgres) {
          const fn = `fn_${name}`;
          await q.query(
            `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${update}; RETURN NULL; END $$`,
          );
          await q.query(
            `CREATE TRIGGER ${name} AFTER ${event}${of} ON ${bump.table} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
          );
        } else {
          await q.query(`CREATE TRIGGER ${name} AFTER ${event}${of} ON ${bump.table} BEGIN ${update}; END`);
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
    await q.query('ALTER TABLE stacks DROP COLUMN settings_version');
  }
}
