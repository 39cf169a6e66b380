// The event x channel matrix: stored cells over the seed's defaults, shared rows per stack, personal rows per user.
import type { DataSource } from 'typeorm';
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

/** A cell as the API shows it. */
function buildCell(eventType: EventType, channel: ChannelKind, stored: boolean | undefined): PreferenceCell {
  return {
    eventType,
    channel,
    enabled: resolveCell(stored, eventType, channel),
    scope: isSharedChannel(channel) ? ChannelScope.SHARED : ChannelScope.PERSONAL,
    isDefault: stored === undefined,
  };
}

/**
 * Every cell the matrix can show: each of the 84 following its default, stored on, or stored off. Built once and
 * frozen; every request's matrix is made of these objects.
 */
const CELLS = new Map(
  EVENT_TYPES.flatMap((info) =>
    ALL_CHANNELS.map((channel) => [
      cellKey(info.type, channel),
      {
        unset: Object.freeze(buildCell(info.type, channel, undefined)),
        on: Object.freeze(buildCell(info.type, channel, true)),
        off: Object.freeze(buildCell(info.type, channel, false)),
      },
    ]),
  ),
);

function cellOf(eventType: EventType, channel: ChannelKind, stored: boolean | undefined): PreferenceCell {
  const variants = CELLS.get(cellKey(eventType, channel))!;
  return stored === undefined ? variants.unset : stored ? variants.on : variants.off;
}

/** The rows of a matrix where nothing was ever set; a row with a stored cell is a copy with other cells. */
const DEFAULT_ROWS: readonly EventPreferenceRow[] = EVENT_TYPES.map((info) =>
  Object.freeze({
    eventType: info.type,
    key: info.key,
    description: info.description,
    cells: Object.freeze(
      ALL_CHANNELS.map((channel) => cellOf(info.type, channel, undefined)),
    ) as PreferenceCell[],
  }),
);

/** One row per stored cell of the matrix: the stack's (personal = 0) and the user's own (personal = 1). */
export class PreferencesService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The viewer's matrix of a stack from one query. The rows and cells are shared, frozen objects: only the rows
   * holding a stored cell are built for the request.
   */
  async matrix(viewer: Viewer, stack: Stack): Promise<EventPreferenceRow[]> {
    const cell = { eventType: true, channel: true, enabled: true } as const;
    const [shared, personal] = await Promise.all([
      this.dataSource.getRepository(StackPreference).find({ select: cell, where: { stackId: stack.id } }),
      this.dataSource
        .getRepository(UserPreference)
        .find({ select: cell, where: { stackId: stack.id, userId: viewer.user.id } }),
    ]);
    if (shared.length === 0 && personal.length === 0) return DEFAULT_ROWS as EventPreferenceRow[];
    // A personal row wins over a shared one for the same cell (there is none unless written by hand).
    const stored = new Map<string, boolean>();
    for (const row of [...shared, ...personal]) stored.set(cellKey(row.eventType, row.channel), row.enabled);
    return EVENT_TYPES.map((info, index): EventPreferenceRow => {
      const values = ALL_CHANNELS.map((channel) => stored.get(cellKey(info.type, channel)));
      if (values.every((value) => value === undefined)) return DEFAULT_ROWS[index];
      return {
        eventType: info.type,
        key: info.key,
        description: info.description,
        cells: ALL_CHANNELS.map((channel, at) => cellOf(info.type, channel, values[at])),
      };
    });
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
    return changes.map((change) => buildCell(change.eventType, change.channel, change.enabled));
  }
}
