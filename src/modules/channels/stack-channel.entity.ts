// A shared channel of a stack (Hipchat, Slack, webhook, Teams, Discord): a stack may have several of each kind, each
// with its own name, settings and column of the event matrix. Holds a secret, so it is never a GraphQL type itself.
import { randomUUID } from 'node:crypto';
import { BeforeInsert, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type ChannelKind, DEFAULT_CHANNEL_NAMES } from '../events/event-types';

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
/** Teams and Discord: the URL is the secret; only its host is kept in the clear. */
export interface ChatWebhookSettings {
  host: string;
}
export type ChannelSettings = HipchatSettings | SlackSettings | WebhookSettings | ChatWebhookSettings;

/** The longest channel name. */
export const MAX_CHANNEL_NAME_LENGTH = 80;

@Entity('stack_channels')
@Index('uq_stack_channels_stack_name', ['stackId', 'name'], { unique: true })
@Index('ix_stack_channels_stack_kind', ['stackId', 'kind', 'createdAt'])
export class StackChannel {
  @PrimaryColumn('varchar', { length: 36 })
  id: string = randomUUID();

  @Column('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @Column('varchar', { length: 10 })
  kind: ChannelKind;

  /** Unique within the stack, e.g. "Slack #deploys". */
  @Column('varchar', { length: MAX_CHANNEL_NAME_LENGTH })
  name: string;

  /** Non-secret settings shown in the API (room, Slack channel and host, webhook URL). */
  @Column('simple-json')
  settings: ChannelSettings;

  /** Hipchat token, Slack/Teams/Discord webhook URL or webhook signing secret. Never returned after creation. */
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

  /** A channel written without a name gets its kind's (the service picks a free one; this covers direct writes). */
  @BeforeInsert()
  nameAfterKind(): void {
    this.name ||= DEFAULT_CHANNEL_NAMES[this.kind];
  }
}
