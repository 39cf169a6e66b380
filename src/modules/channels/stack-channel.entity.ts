// A shared channel of a stack (Hipchat, Slack, webhook). Holds a secret, so it is never a GraphQL type itself.
import { randomUUID } from 'node:crypto';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ChannelKind } from '../events/event-types';

export interface HipchatSettings {
  room: string;
}
export interface SlackSettings {
  channel: string | null;
  host: string;
}
export interface WebhookSettings {
  url: string;
}
export type ChannelSettings = HipchatSettings | SlackSettings | WebhookSettings;

@Entity('stack_channels')
@Index('uq_stack_channels_stack_kind', ['stackId', 'kind'], { unique: true })
export class StackChannel {
  @PrimaryColumn('varchar', { length: 36 })
  id: string = randomUUID();

  @Column('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @Column('varchar', { length: 10 })
  kind: ChannelKind;

  /** Non-secret settings shown in the API (room, Slack channel and host, webhook URL). */
  @Column('simple-json')
  settings: ChannelSettings;

  /** Hipchat token, Slack incoming-webhook URL or webhook signing secret. Never returned after creation. */
  @Column('text')
  secret: string;

  @Column('varchar', { name: 'secret_hint', length: 100 })
  secretHint: string;

  @Column('boolean')
  enabled: boolean = true;

  @Column('varchar', { name: 'disabled_reason', length: 500, nullable: true })
  disabledReason: string | null = null;

  /** Set at the first failed attempt after a success; a streak longer than CHANNEL_DISABLE_AFTER_HOURS disables it. */
  @Column({ name: 'failing_since', type: Date, nullable: true })
  failingSince: Date | null = null;

  /** The webhook signing secret before the last rotation, still signed with until previousSecretUntil. */
  @Column('text', { name: 'previous_secret', nullable: true })
  previousSecret: string | null = null;

  @Column({ name: 'previous_secret_until', type: Date, nullable: true })
  previousSecretUntil: Date | null = null;

  @Column({ name: 'created_at' })
  createdAt: Date = new Date();

  @Column({ name: 'updated_at' })
  updatedAt: Date = new Date();
}
