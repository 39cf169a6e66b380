// Stored cells of the event x channel matrix. Only cells that differ from the seed's defaults need a row,
// but a row is kept once a cell has been set, so an explicit choice survives a change of defaults.
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ChannelKind, EventType, Severity } from '../events/event-types';

/** A shared channel's cell: belongs to one channel of the stack (stack_channels). */
@Entity('channel_preferences')
@Index('ix_channel_preferences_stack', ['stackId'])
export class ChannelPreference {
  @PrimaryColumn('varchar', { name: 'channel_id', length: 36 })
  channelId: string;

  @PrimaryColumn('varchar', { name: 'event_type', length: 40 })
  eventType: EventType;

  /** The channel's stack, so a stack's cells are read (and its settings_version bumped) without a join. */
  @Column('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @Column('boolean')
  enabled: boolean;
}

/**
 * A cell of a shared kind the stack has no channel of, set through the deprecated per-kind operations: a new
 * channel of that kind starts from these cells.
 */
@Entity('stack_preferences')
export class StackPreference {
  @PrimaryColumn('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @PrimaryColumn('varchar', { name: 'event_type', length: 40 })
  eventType: EventType;

  @PrimaryColumn('varchar', { length: 10 })
  channel: ChannelKind;

  @Column('boolean')
  enabled: boolean;
}

/** A personal channel's cell: belongs to (user, stack). */
@Entity('user_preferences')
@Index('ix_user_preferences_stack', ['stackId', 'eventType', 'channel'])
export class UserPreference {
  @PrimaryColumn('varchar', { name: 'user_id', length: 36 })
  userId: string;

  @PrimaryColumn('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @PrimaryColumn('varchar', { name: 'event_type', length: 40 })
  eventType: EventType;

  @PrimaryColumn('varchar', { length: 10 })
  channel: ChannelKind;

  @Column('boolean')
  enabled: boolean;
}

/** A stack's own severity for an event type, replacing the catalogue's default. */
@Entity('stack_event_severities')
export class StackEventSeverity {
  @PrimaryColumn('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @PrimaryColumn('varchar', { name: 'event_type', length: 40 })
  eventType: EventType;

  @Column('varchar', { length: 10 })
  severity: Severity;
}
