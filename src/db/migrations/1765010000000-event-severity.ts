import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { cascade, isPostgres, ref, varchar } from '../column-types';

/**
 * Severity: each notification keeps the severity its event type had on its stack when it was published (existing
 * ones get the catalogue's default), and a stack may set its own severity per event type. Those overrides are part
 * of the settings a publisher caches, so writing them bumps the stack's settings_version like the preferences do
 * (migration 1764400000000).
 */
/** The catalogue's defaults other than INFO when this migration was written (a migration does not follow later changes). */
const DEFAULT_SEVERITIES: [eventType: string, severity: string][] = [
  ['stack.provision.fail', 'CRITICAL'],
  ['stack.redeploy.fail', 'CRITICAL'],
  ['stack.redeploy.hook.fail', 'CRITICAL'],
  ['server.stopped', 'CRITICAL'],
  ['process.down', 'CRITICAL'],
  ['container.down', 'CRITICAL'],
  ['job.fail', 'WARNING'],
];

const EVENTS: ['INSERT' | 'UPDATE' | 'DELETE', 'NEW' | 'OLD'][] = [
  ['INSERT', 'NEW'],
  ['UPDATE', 'NEW'],
  ['DELETE', 'OLD'],
];

function triggerName(event: string): string {
  return `tr_stack_event_severities_${event.toLowerCase()}_settings_version`;
}

export class EventSeverity1765010000000 implements MigrationInterface {
  name = 'EventSeverity1765010000000';

  async up(q: QueryRunner): Promise<void> {
    // Plain ALTER TABLE: TypeORM's addColumn rebuilds the table (and its dependents) on SQLite.
    await q.query("ALTER TABLE notifications ADD COLUMN severity varchar(10) NOT NULL DEFAULT 'INFO'");
    for (const [eventType, severity] of DEFAULT_SEVERITIES) {
      await q.query(`UPDATE notifications SET severity = '${severity}' WHERE event_type = '${eventType}'`);
    }
    await q.createTable(
      new Table({
        name: 'stack_event_severities',
        columns: [
          { ...ref('stack_id'), isPrimary: true },
          { ...varchar('event_type', 40), isPrimary: true },
          varchar('severity', 10),
        ],
        foreignKeys: [cascade('stack_id', 'stacks')],
      }),
    );
    const postgres = isPostgres(q);
    for (const [event, row] of EVENTS) {
      const name = triggerName(event);
      const update = `UPDATE stacks SET settings_version = settings_version + 1 WHERE id = ${row}.stack_id`;
      if (postgres) {
        await q.query(
          `CREATE FUNCTION fn_${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${update}; RETURN NULL; END $$`,
        );
        await q.query(
          `CREATE TRIGGER ${name} AFTER ${event} ON stack_event_severities FOR EACH ROW EXECUTE FUNCTION fn_${name}()`,
        );
      } else {
        await q.query(`CREATE TRIGGER ${name} AFTER ${event} ON stack_event_severities BEGIN ${update}; END`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const postgres = isPostgres(q);
    for (const [event] of EVENTS) {
      const name = triggerName(event);
      if (postgres) {
        await q.query(`DROP TRIGGER IF EXISTS ${name} ON stack_event_severities`);
        await q.query(`DROP FUNCTION IF EXISTS fn_${name}()`);
      } else {
        await q.query(`DROP TRIGGER IF EXISTS ${name}`);
      }
    }
    await q.dropTable('stack_event_severities');
    await q.query('ALTER TABLE notifications DROP COLUMN severity');
  }
}
