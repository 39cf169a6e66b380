import { type MigrationInterface, type QueryRunner, TableIndex } from 'typeorm';

/**
 * The workers' claim reads due deliveries through ix_deliveries_due. It indexed every delivery by status and time,
 * so it grew with the whole history, and closing a delivery moved its entry within it. It now holds only the pending
 * rows (the backlog): closing a delivery removes its entry, and the claim walks an index the size of the backlog.
 */
const NAME = 'ix_deliveries_due';

export class PendingDeliveriesIndex1764600000000 implements MigrationInterface {
  name = 'PendingDeliveriesIndex1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.dropIndex('deliveries', NAME);
    await q.createIndex(
      'deliveries',
      new TableIndex({ name: NAME, columnNames: ['next_attempt_at'], where: "status = 'PENDING'" }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex('deliveries', NAME);
    await q.createIndex(
      'deliveries',
      new TableIndex({ name: NAME, columnNames: ['status', 'next_attempt_at'] }),
    );
  }
}
