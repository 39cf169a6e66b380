// The outbox: one row per (notification, channel, target), written in the notification's transaction.
import { registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { v7 } from 'uuid';
import type { ChannelKind } from '../events/event-types';

export enum DeliveryStatus {
  /** Waiting for its next attempt (the first, or a retry). */
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  /** Stopped by a permanent failure (4xx, SMTP 5xx, a gone device). */
  FAILED = 'FAILED',
  /** Every attempt of the retry schedule failed. */
  DEAD = 'DEAD',
  /** Waiting for the end of a window (heldReason says which); it then goes out in one summary. */
  HELD = 'HELD',
  /** Sent as part of a summary (Delivery.summary), not on its own. */
  SUMMARISED = 'SUMMARISED',
}
registerEnumType(DeliveryStatus, { name: 'DeliveryStatus' });

/** Why a delivery waited instead of going out at once. */
export enum HeldReason {
  /** The recipient's quiet hours; the event was below CRITICAL. */
  HELD_QUIET_HOURS = 'HELD_QUIET_HOURS',
  /** The channel's digest allowance for the window was used up. */
  DIGESTED = 'DIGESTED',
  /** The incident it belongs to is flapping. */
  FLAPPING = 'FLAPPING',
}
registerEnumType(HeldReason, {
  name: 'HeldReason',
  description: 'Why a delivery waited for the end of a window and went out in a summary.',
});

@Entity('deliveries')
// Only the backlog. Queries name the status as this literal, which matches the index in any query plan.
@Index('ix_deliveries_due', ['nextAttemptAt'], { where: "status = 'PENDING'" })
@Index('ix_deliveries_stack_created', ['stackId', 'createdAt', 'id'])
@Index('ix_deliveries_notification', ['notificationId'])
@Index('ix_deliveries_stack_user', ['stackId', 'userId'])
@Index('ix_deliveries_target_created', ['targetId', 'createdAt', 'id'])
export class Delivery {
  /**
   * Time-ordered, as Notification.id. The deliveries of a notification share its createdAt, so pages (which break
   * createdAt ties by id) list them in the order they were created.
   */
  @PrimaryColumn('varchar', { length: 36 })
  id: string = v7();

  @Column('varchar', { name: 'notification_id', length: 36 })
  notificationId: string;

  @Column('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @Column('varchar', { length: 10 })
  channel: ChannelKind;

  /** The shared channel, user, iOS device or Web Push subscription the delivery goes to. */
  @Column('varchar', { name: 'target_id', length: 36 })
  targetId: string;

  /** The user a personal delivery (email, iOS, browser) belongs to; null for shared channels. */
  @Column('varchar', { name: 'user_id', length: 36, nullable: true })
  userId: string | null = null;

  /** Who or where, for people reading the log: an email address, a URL host, a device hint. */
  @Column('varchar', { name: 'target_label', length: 300 })
  targetLabel: string;

  @Column('varchar', { length: 10 })
  status: DeliveryStatus = DeliveryStatus.PENDING;

  @Column('integer', { name: 'attempt_count' })
  attemptCount: number = 0;

  @Column({ name: 'next_attempt_at', type: Date, nullable: true })
  nextAttemptAt: Date | null;

  /** While set and in the future, a worker owns the row; an expired lease makes it claimable again. */
  @Column({ name: 'lease_until', type: Date, nullable: true })
  leaseUntil: Date | null = null;

  @Column('varchar', { name: 'lease_owner', length: 64, nullable: true })
  leaseOwner: string | null = null;

  /** The request that published the notification, carried into the delivery logs. */
  @Column('varchar', { name: 'request_id', length: 100, nullable: true })
  requestId: string | null = null;

  /** Why it waited: set on held rows and on the summary they went out in. */
  @Column('varchar', { name: 'held_reason', length: 20, nullable: true })
  heldReason: HeldReason | null = null;

  /** The group (recipient channel and window) a held row waits in, and its summary row's. */
  @Column('varchar', { name: 'hold_group', length: 200, nullable: true })
  holdGroup: string | null = null;

  /** On a summary row while its group is open to more held rows: the group. Unique. */
  @Column('varchar', { name: 'summary_key', length: 200, nullable: true })
  summaryKey: string | null = null;

  /** On a SUMMARISED row: the summary delivery it went out in. */
  @Column('varchar', { name: 'summary_id', length: 36, nullable: true })
  summaryId: string | null = null;

  /** Set on summary rows only: how many held deliveries it carries (0 until its worker gathers them). */
  @Column('integer', { name: 'summary_count', nullable: true })
  summaryCount: number | null = null;

  @Column({ name: 'created_at' })
  createdAt: Date = new Date();

  @Column({ name: 'updated_at' })
  updatedAt: Date = new Date();
}

@Entity('delivery_attempts')
@Index('ix_delivery_attempts_delivery', ['deliveryId', 'at'])
export class DeliveryAttempt {
  /** Assigned by the database in insert order (migration 1764700000000); PostgreSQL's bigint reads as a string. */
  @PrimaryGeneratedColumn()
  id: number | string;

  @Column('varchar', { name: 'delivery_id', length: 36 })
  deliveryId: string;

  @Column()
  at: Date;

  @Column('integer', { name: 'duration_ms' })
  durationMs: number;

  @Column('boolean')
  ok: boolean;

  @Column('integer', { name: 'status_code', nullable: true })
  statusCode: number | null;

  @Column('text', { name: 'response_excerpt', nullable: true })
  responseExcerpt: string | null;

  @Column('text', { nullable: true })
  error: string | null;

  /**
   * What was sent (transports' SentRequest as JSON, secrets masked, bodies bounded); null when nothing was. Up to a
   * few hundred KiB with the answer: read only when asked for (migration 1765300000000).
   */
  @Column('text', { name: 'request_sent', nullable: true, select: false })
  requestSent: string | null;

  /** What came back (ReceivedResponse as JSON); null when no answer came. Read only when asked for. */
  @Column('text', { name: 'response_received', nullable: true, select: false })
  responseReceived: string | null;
}
