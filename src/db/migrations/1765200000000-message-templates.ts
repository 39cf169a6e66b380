import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';
import { cascade, id, ref, text, timestamp, varchar } from '../column-types';

/**
 * Message templates: a stack's own text for a shared channel (channel_id) or its email (channel_id NULL), for one
 * event type or all of them ('*'). One template per key, which two partial unique indexes enforce (NULLs are
 * distinct in a plain one). A template goes with its stack, and with its channel when that is removed.
 */
export class MessageTemplates1765200000000 implements MigrationInterface {
  name = 'MessageTemplates1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'message_templates',
        columns: [
          id(),
          ref('stack_id'),
          ref('channel_id', true),
          varchar('channel', 10),
          varchar('event_type', 40),
          text('body'),
          text('subject', true),
          timestamp(q, 'created_at'),
          timestamp(q, 'updated_at'),
        ],
        foreignKeys: [
          cascade('stack_id', 'stacks'),
          new TableForeignKey({
            columnNames: ['channel_id'],
            referencedTableName: 'stack_channels',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await q.query('CREATE INDEX ix_message_templates_stack ON message_templates (stack_id)');
    await q.query(
      'CREATE UNIQUE INDEX uq_message_templates_channel ON message_templates (channel_id, event_type) ' +
        'WHERE channel_id IS NOT NULL',
    );
    await q.query(
      'CREATE UNIQUE INDEX uq_message_templates_email ON message_templates (stack_id, event_type) ' +
        'WHERE channel_id IS NULL',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('message_templates');
  }
}
