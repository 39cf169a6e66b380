// A stack's own message template for one channel (a shared channel, or the stack's email) and one event type, or all
// of them. Holds no secret, but its GraphQL face (MessageTemplateView) names the event type by its enum.
import { randomUUID } from 'node:crypto';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** event_type of a template for every event type of its channel (NOT NULL, so the unique indexes hold on both). */
export const ALL_EVENT_TYPES = '*';

@Entity('message_templates')
@Index('ix_message_templates_stack', ['stackId'])
@Index('uq_message_templates_channel', ['channelId', 'eventType'], {
  unique: true,
  where: 'channel_id IS NOT NULL',
})
@Index('uq_message_templates_email', ['stackId', 'eventType'], { unique: true, where: 'channel_id IS NULL' })
export class MessageTemplateRow {
  @PrimaryColumn('varchar', { length: 36 })
  id: string = randomUUID();

  @Column('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  /** The shared channel (stack_channels.id); null for the stack's email. */
  @Column('varchar', { name: 'channel_id', length: 36, nullable: true })
  channelId: string | null;

  /** The channel's kind when the template was set (SLACK, HIPCHAT, EMAIL...). */
  @Column('varchar', { length: 10 })
  channel: string;

  /** The wire key (stack.redeploy.ok), or ALL_EVENT_TYPES. */
  @Column('varchar', { name: 'event_type', length: 40 })
  eventType: string;

  @Column('text')
  body: string;

  /** Email only: the subject's template; the built-in subject when null. */
  @Column('text', { nullable: true })
  subject: string | null = null;

  @Column({ name: 'created_at' })
  createdAt: Date = new Date();

  @Column({ name: 'updated_at' })
  updatedAt: Date = new Date();
}
