import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { cascade, id, ref, timestamp, varchar } from '../column-types';

/**
 * Incidents: a failure of one subject of a stack, open until recovered. At most one is open per (stack, family,
 * subject), which a unique partial index enforces, so concurrent publishers of the same failure open one incident.
 * Each notification names the incident it opened, joined or resolved; a partial index lists an incident's
 * notifications without indexing the many that have none.
 */
export class Incidents1765030000000 implements MigrationInterface {
  name = 'Incidents1765030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'incidents',
        columns: [
          id(),
          ref('stack_id'),
          ref('account_id'),
          varchar('family', 40),
          varchar('subject', 200),
          varchar('state', 10),
          timestamp(q, 'opened_at'),
          timestamp(q, 'resolved_at', true),
          ref('resolved_by_notification_id', true),
          ref('resolved_by_user_id', true),
        ],
        foreignKeys: [cascade('stack_id', 'stacks')],
      }),
    );
    await q.query(
      "CREATE UNIQUE INDEX uq_incidents_open ON incidents (stack_id, family, subject) WHERE state = 'OPEN'",
    );
    await q.query('CREATE INDEX ix_incidents_stack_opened ON incidents (stack_id, opened_at, id)');
    // Plain ALTER TABLE: TypeORM's addColumn rebuilds the table (and its dependents) on SQLite.
    await q.query('ALTER TABLE notifications ADD COLUMN incident_id varchar(36)');
    await q.query(
      'CREATE INDEX ix_notifications_incident ON notifications (incident_id, created_at, id) ' +
        'WHERE incident_id IS NOT NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ix_notifications_incident');
    await q.query('ALTER TABLE notifications DROP COLUMN incident_id');
    await q.dropTable('incidents');
  }
}
