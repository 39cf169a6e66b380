import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A shared channel's deliveries by its id, newest first: Channel.health finds each channel's newest attempted
 * delivery and counts its dead ones from here, and the delivery log filtered by channelId reads it in order.
 */
export class ChannelHealth1765500000000 implements MigrationInterface {
  name = 'ChannelHealth1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX ix_deliveries_target_created ON deliveries (target_id, created_at, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX ix_deliveries_target_created');
  }
}
