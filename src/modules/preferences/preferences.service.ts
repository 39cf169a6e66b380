// The event x channel matrix: stored cells over the seed's defaults, shared rows per stack, personal rows per user.
import type { DataSource } from 'typeorm';
import { BadUserInputError } from '../../lib/errors';
import { derivedId } from '../../lib/global-id';
import { requireAdmin } from '../accounts/accounts.service';
import type { Viewer } from '../accounts/tokens.service';
import { ChannelScope } from '../channels/channel.types';
import {
  ALL_CHANNELS,
  ChannelKind,
  defaultEnabled,
  EVENT_TYPES,
  EventType,
  eventTypeName,
  isSharedChannel,
} from '../events/event-types';
import type { Stack } from '../stacks/stack.entity';
import { StackPreference, UserPreference } from './preference.entities';
import type { EventPreferenceRow, PreferenceCell } from './preference.types';
import { storedCells } from './preferences.repository';

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

/** A cell's id: a shared cell is the stack's, whoever looks at it; a personal cell is its user's on that stack. */
export function preferenceCellId(
  stackId: string,
  userId: string,
  eventType: EventType,
  channel: ChannelKind,
): string {
  const name = eventTypeName(eventType);
  return isSharedChannel(channel)
    ? derivedId('PreferenceCell', stackId, name, channel)
    : derivedId('PreferenceCell', stackId, name, channel, userId);
}

/** A row holds the viewer's personal cells, so its id names the viewer. */
export function preferenceRowId(stackId: string, userId: string, eventType: EventType): string {
  return derivedId('EventPreferenceRow', stackId, eventTypeName(eventType), userId);
}

/** A cell as the API shows it. */
function buildCell(
  stackId: string,
  userId: string,
  eventType: EventType,
  channel: ChannelKind,
  stored: boolean | undefined,
): PreferenceCell {
  return {
    id: preferenceCellId(stackId, userId, eventType, channel),
    eventType,
    channel,
    enabled: resolveCell(stored, eventType, channel),
    scope: isSharedChannel(channel) ? ChannelScope.SHARED : ChannelScope.PERSONAL,
    isDefault: stored === undefined,
  };
}

/** One row per stored cell of the matrix: the stack's (personal = 0) and the user's own (personal = 1). */
export class PreferencesService {
  constructor(private readonly dataSource: DataSource) {}

  /** The viewer's matrix of a stack, from one query. */
  matrix(viewer: Viewer, stack: Stack): Promise<EventPreferenceRow[]> {
    return this.rows(viewer, stack, null);
  }

  /** One row of the viewer's matrix of a stack (what matrix lists for `eventType`). */
  async row(viewer: Viewer, stack: Stack, eventType: EventType): Promise<EventPreferenceRow> {
    const [row] = await this.rows(viewer, stack, eventType);
    return row;
  }

  /** One cell of the viewer's matrix of a stack (what matrix shows for `eventType` and `channel`). */
  async cell(
    viewer: Viewer,
    stack: Stack,
    eventType: EventType,
    channel: ChannelKind,
  ): Promise<PreferenceCell> {
    return (await this.row(viewer, stack, eventType)).cells.find((cell) => cell.channel === channel)!;
  }

  /** The rows of the viewer's matrix: every event type's, or only `eventType`'s. */
  private async rows(
    viewer: Viewer,
    stack: Stack,
    eventType: EventType | null,
  ): Promise<EventPreferenceRow[]> {
    const userId = viewer.user.id;
    const cells = await storedCells(this.dataSource.manager, stack.id, userId, eventType);
    // Personal cells come last and win over a shared one for the same cell (there is none unless written by hand).
    const stored = new Map<string, boolean>();
    for (const row of cells) stored.set(cellKey(row.eventType, row.channel), row.enabled);
    const infos = eventType === null ? EVENT_TYPES : EVENT_TYPES.filter((info) => info.type === eventType);
    return infos.map((info): EventPreferenceRow => ({
      id: preferenceRowId(stack.id, userId, info.type),
      eventType: info.type,
      key: info.key,
      description: info.description,
      cells: ALL_CHANNELS.map((channel) =>
        buildCell(stack.id, userId, info.type, channel, stored.get(cellKey(info.type, channel))),
      ),
    }));
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
    return changes.map((change) =>
      buildCell(stack.id, viewer.user.id, change.eventType, change.channel, change.enabled),
    );
  }
}
