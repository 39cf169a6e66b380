// A notification: one event of one stack, written once. Its id is stable and is the webhook-id of its deliveries.
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { v7 } from 'uuid';
import type { EventType, Severity } from './event-types';

@Entity('notifications')
@Index('ix_notifications_stack_created', ['stackId', 'createdAt', 'id'])
@Index('uq_notifications_stack_idempotency', ['stackId', 'idempotencyKey'], { unique: true })
export class Notification {
  /** Time-ordered (UUID v7, monotonic within the process), so inserts append to the primary-key index. */
  @PrimaryColumn('varchar', { length: 36 })
  id: string = v7();

  @Column('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @Column('varchar', { name: 'account_id', length: 36 })
  accountId: string;

  @Column('varchar', { name: 'event_type', length: 40 })
  eventType: EventType;

  @Column('simple-json')
  data: Record<string, unknown>;

  /** The stack's severity of the event type at publish time, kept so later rules and the history see it as it was. */
  @Column('varchar', { length: 10 })
  severity: Severity;

  /** The incident it opened, joined or resolved; null for events outside every incident family. */
  @Column('varchar', { name: 'incident_id', length: 36, nullable: true })
  incidentId: string | null = null;

  @Column({ name: 'occurred_at' })
  occurredAt: Date;

  /** Cleared after 24 hours, so a producer may reuse a key later without the unique index refusing it. */
  @Column('varchar', { name: 'idempotency_key', length: 200, nullable: true })
  idempotencyKey: string | null = null;

  @Column({ name: 'created_at' })
  createdAt: Date = new Date();
}

/**
 * Read state per user and stack: everything created up to readThrough is read ("mark all read"), plus single
 * notifications marked read after it (NotificationRead). Marking all read is one row, whatever the history size.
 */
@Entity('notification_read_markers')
export class NotificationReadMarker {
  @PrimaryColumn('varchar', { name: 'user_id', length: 36 })
  userId: string;

  @PrimaryColumn('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @Column({ name: 'read_through' })
  readThrough: Date;
}

@Entity('notification_reads')
@Index('ix_notification_reads_user_stack', ['userId', 'stackId'])
export class NotificationRead {
  @PrimaryColumn('varchar', { name: 'user_id', length: 36 })
  userId: string;

  @PrimaryColumn('varchar', { name: 'notification_id', length: 36 })
  notificationId: string;

  @Column('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @Column({ name: 'created_at' })
  createdAt: Date;
}
