import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each delivery attempt keeps what it sent and what came back (JSON text, secrets masked and bodies bounded by the
 * transports) beside its row, so the purge of old deliveries takes them along. Earlier attempts have neither.
 */
export class AttemptExchanges1765300000000 implements MigrationInterface {
  name = 'AttemptExchanges1765300000000';

  async up(q: QueryRunner): Promise<void> {
    // Plain ALTER TABLE: TypeORM's addColumn rebuilds the table on SQLite.
    await q.query('ALTER TABLE delivery_attempts ADD COLUMN request_sent text');
    await q.query('ALTER TABLE delivery_attempts ADD COLUMN response_received text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE delivery_attempts DROP COLUMN response_received');
    await q.query('ALTER TABLE delivery_attempts DROP COLUMN request_sent');
  }
}
