// The event x channel matrix: stored cells over the seed's defaults, shared rows per stack, personal rows per user.
import { In, type DataSource, type EntityManager } from 'typeorm';
import { BadUserInputError } from '../../lib/errors';
import { requireAdmin } from '../accounts/accounts.service';
import type { Viewer } from '../accounts/tokens.service';
import { ChannelScope } from '../channels/channel.types';
import {
  ALL_CHANNELS,
  ChannelKind,
  defaultEnabled,
  EVENT_TYPES,
  EventType,
  isSharedChannel,
} from '../events/event-types';
import type { Stack } from '../stacks/stack.entity';
import { User } from '../accounts/user.entity';
import { StackChannel } from '../channels/stack-channel.entity';
import { decideRecipients, type Recipients } from './recipients';
import { StackPreference, UserPreference } from './preference.entities';
import type { EventPreferenceRow, PreferenceCell } from './preference.types';

export interface CellChange {
  eventType: EventType;
  channel: ChannelKind;
  enabled: boolean;
}

export function cellKey(eventType: EventType, channel: ChannelKind): string {
  return `${eventType}|${channel}`;
}

/**
 * How a cell is decided, most specific first:
 *   1. the stored cell (the stack's for a shared channel, the user's for a personal one);
 *   2. the seed's default for the event type.
 */
export function resolveCell(
  stored: boolean | undefined,
  eventType: EventType,
  channel: ChannelKind,
): boolean {
  return stored ?? defaultEnabled(eventType, channel);
}

export class PreferencesService {
  constructor(private readonly dataSource: DataSource) {}

  async matrix(viewer: Viewer, stack: Stack): Promise<EventPreferenceRow[]> {
    const [shared, personal] = await Promise.all([
      this.dataSource.getRepository(StackPreference).findBy({ stackId: stack.id }),
      this.dataSource.getRepository(UserPreference).findBy({ stackId: stack.id, userId: viewer.user.id }),
    ]);
    const stored = new Map<string, boolean>();
    for (const row of [...shared, ...personal]) stored.set(cellKey(row.eventType, row.channel), row.enabled);
    return EVENT_TYPES.map((info) => ({
      eventType: info.type,
      key: info.key,
      description: info.description,
      cells: ALL_CHANNELS.map((channel) =>
        this.cell(info.type, channel, stored.get(cellKey(info.type, channel))),
      ),
    }));
  }

  /** The viewer's BROWSER cells for a stack, as a lookup by event type. */
  async browserCells(viewer: Viewer, stack: Stack): Promise<(eventType: EventType) => boolean> {
    const rows = await this.dataSource
      .getRepository(UserPreference)
      .findBy({ stackId: stack.id, userId: viewer.user.id, channel: ChannelKind.BROWSER });
    const stored = new Map(rows.map((row) => [row.eventType, row.enabled]));
    return (eventType) => resolveCell(stored.get(eventType), eventType, ChannelKind.BROWSER);
  }

  /** Loads the matrix of one event type and decides who gets it, just before the publishing transaction. */
  async resolveRecipients(
    manager: EntityManager,
    stack: Stack,
    eventType: EventType,
  ): Promise<Recipients<StackChannel> & { usersById: Map<string, User> }> {
    const [stackRows, sharedChannels, users] = await Promise.all([
      manager.findBy(StackPreference, { stackId: stack.id, eventType }),
      manager.findBy(StackChannel, { stackId: stack.id }),
      manager.findBy(User, { accountId: stack.accountId }),
    ]);
    const userRows = users.length
      ? await manager.findBy(UserPreference, {
          stackId: stack.id,
          eventType,
          userId: In(users.map((user) => user.id)),
        })
      : [];
    const userCells = new Map<string, Map<ChannelKind, boolean>>();
    for (const row of userRows) {
      let cells = userCells.get(row.userId);
      if (!cells) userCells.set(row.userId, (cells = new Map()));
      cells.set(row.channel, row.enabled);
    }
    const recipients = decideRecipients({
      eventType,
      stackCells: new Map(stackRows.map((row) => [row.channel, row.enabled])),
      userCells,
      userIds: users.map((user) => user.id),
      sharedChannels,
    });
    return { ...recipients, usersById: new Map(users.map((user) => [user.id, user])) };
  }

  /** Applies all changes in one transaction, or none of them. */
  async setCells(viewer: Viewer, stack: Stack, changes: readonly CellChange[]): Promise<PreferenceCell[]> {
    const seen = new Set<string>();
    for (const change of changes) {
      const key = cellKey(change.eventType, change.channel);
      if (seen.has(key)) {
        throw new BadUserInputError(
          `names the cell ${change.eventType} x ${change.channel} twice`,
          'changes',
        );
      }
      seen.add(key);
    }
    if (changes.some((change) => isSharedChannel(change.channel))) {
      requireAdmin(viewer, 'change the cells of shared channels');
    }
    const sharedRows = changes
      .filter((change) => isSharedChannel(change.channel))
      .map((change) => ({ stackId: stack.id, ...change }));
    const personalRows = changes
      .filter((change) => !isSharedChannel(change.channel))
      .map((change) => ({ userId: viewer.user.id, stackId: stack.id, ...change }));
    await this.dataSource.transaction(async (manager) => {
      if (sharedRows.length)
        await manager.upsert(StackPreference, sharedRows, ['stackId', 'eventType', 'channel']);
      if (personalRows.length) {
        await manager.upsert(UserPreference, personalRows, ['userId', 'stackId', 'eventType', 'channel']);
      }
    });
    return changes.map((change) => this.cell(change.eventType, change.channel, change.enabled));
  }

  private cell(eventType: EventType, channel: ChannelKind, stored: boolean | undefined): PreferenceCell {
    return {
      eventType,
      channel,
      enabled: resolveCell(stored, eventType, channel),
      scope: isSharedChannel(channel) ? ChannelScope.SHARED : ChannelScope.PERSONAL,
      isDefault: stored === undefined,
    };
  }
}
