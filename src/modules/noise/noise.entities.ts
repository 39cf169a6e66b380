// Stored noise settings: a person's quiet hours, a stack channel's digest and a stack's flapping rule. All are part
// of the settings a publisher caches per stack (writes bump stacks.settings_version, migrations 1765020000000 and
// 1765400000000).
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ChannelKind } from '../events/event-types';
import type { Weekday } from './quiet-hours';

@Entity('quiet_hours')
export class QuietHoursRow {
  @PrimaryColumn('varchar', { name: 'user_id', length: 36 })
  userId: string;

  @Column('varchar', { name: 'time_zone', length: 64 })
  timeZone: string;

  @Column('integer', { name: 'start_minute' })
  startMinute: number;

  @Column('integer', { name: 'end_minute' })
  endMinute: number;

  /** Comma-separated Weekday names; null: every day. */
  @Column('varchar', { length: 100, nullable: true })
  days: string | null;

  @Column({ name: 'updated_at' })
  updatedAt: Date;
}

export function daysOf(row: Pick<QuietHoursRow, 'days'>): Weekday[] | null {
  return row.days === null ? null : (row.days.split(',').filter(Boolean) as Weekday[]);
}

@Entity('stack_digests')
export class StackDigest {
  @PrimaryColumn('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @PrimaryColumn('varchar', { length: 10 })
  channel: ChannelKind;

  @Column('integer', { name: 'window_minutes' })
  windowMinutes: number;

  /** How many notifications go out at once in a window before the rest wait for its digest. */
  @Column('integer')
  allowance: number;

  @Column({ name: 'updated_at' })
  updatedAt: Date;
}

/** A stack's own flapping rule; stacks without one use the environment's (FLAP_*). */
@Entity('stack_flapping')
export class StackFlapping {
  @PrimaryColumn('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @Column('integer')
  threshold: number;

  @Column('integer', { name: 'window_minutes' })
  windowMinutes: number;

  @Column('integer', { name: 'settle_minutes' })
  settleMinutes: number;

  @Column({ name: 'updated_at' })
  updatedAt: Date;
}
