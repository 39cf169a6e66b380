import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { cascade, integer, isPostgres, ref, timestamp, varchar } from '../column-types';

/**
 * Flapping: a stack's own rule (`stack_flapping`; stacks without one use the environment's), and the subjects that
 * flap now (`flapping_subjects`, one row per stack, family and subject: since when, and when it settles unless
 * another transition comes first). An incident opened while its subject flapped keeps when that began
 * (`incidents.flapping_since`).
 *
 * The rule is part of the settings a publisher caches: writing it bumps the stack's settings_version, as migration
 * 1764400000000 does for the rest.
 */
const EVENTS: ['INSERT' | 'UPDATE' | 'DELETE', 'NEW' | 'OLD'][] = [
  ['INSERT', 'NEW'],
  ['UPDATE', 'NEW'],
  ['DELETE', 'OLD'],
];

function triggerName(event: string): string {
  return `tr_stack_flapping_${event.toLowerCase()}_settings_version`;
}

export class Flapping1765400000000 implements MigrationInterface {
  name = 'Flapping1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'stack_flapping',
        columns: [
          { ...ref('stack_id'), isPrimary: true },
          integer('threshold'),
          integer('window_minutes'),
          integer('settle_minutes'),
          timestamp(q, 'updated_at'),
        ],
        foreignKeys: [cascade('stack_id', 'stacks')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'flapping_subjects',
        columns: [
          { ...ref('stack_id'), isPrimary: true },
          { ...varchar('family', 40), isPrimary: true },
          { ...varchar('subject', 200), isPrimary: true },
          timestamp(q, 'since'),
          timestamp(q, 'last_transition_at'),
          timestamp(q, 'settles_at'),
        ],
        foreignKeys: [cascade('stack_id', 'stacks')],
      }),
    );
    const postgres = isPostgres(q);
    // Plain ALTER TABLE: TypeORM's addColumn rebuilds the table (and its dependents) on SQLite.
    await q.query(`ALTER TABLE incidents ADD COLUMN flapping_since ${postgres ? 'timestamptz' : 'datetime'}`);
    for (const [event, row] of EVENTS) {
      const name = triggerName(event);
      const update = `UPDATE stacks SET settings_version = settings_version + 1 WHERE id = ${row}.stack_id`;
      if (postgres) {
        await q.query(
          `CREATE FUNCTION fn_${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${update}; RETURN NULL; END $$`,
        );
        await q.query(
          `CREATE TRIGGER ${name} AFTER ${event} ON stack_flapping FOR EACH ROW EXECUTE FUNCTION fn_${name}()`,
        );
      } else {
        await q.query(`CREATE TRIGGER ${name} AFTER ${event} ON stack_flapping BEGIN ${update}; END`);
      }
    }
  }

  async down(q: QueryRunner): Promise<void> {
    const postgres = isPostgres(q);
    for (const [event] of EVENTS) {
      const name = triggerName(event);
      if (postgres) {
        await q.query(`DROP TRIGGER IF EXISTS ${name} ON stack_flapping`);
        await q.query(`DROP FUNCTION IF EXISTS fn_${name}()`);
      } else {
        await q.query(`DROP TRIGGER IF EXISTS ${name}`);
      }
    }
    await q.query('ALTER TABLE incidents DROP COLUMN flapping_since');
    await q.dropTable('flapping_subjects');
    await q.dropTable('stack_flapping');
  }
}
