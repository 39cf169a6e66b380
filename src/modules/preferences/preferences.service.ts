// The event x channel matrix: stored cells over the seed's defaults, a column per shared channel of the stack and
// per personal kind of each user.
import type { DataSource } from 'typeorm';
import { BadUserInputError, NotFoundError } from '../../lib/errors';
import { derivedId } from '../../lib/global-id';
import { VersionedCache } from '../../lib/versioned-cache';
import { requireAdmin } from '../accounts/accounts.service';
import type { Viewer } from '../accounts/tokens.service';
import { ChannelScope } from '../channels/channel.types';
import {
  type ChannelKind,
  defaultEnabled,
  EVENT_TYPES,
  EventType,
  eventTypeInfo,
  eventTypeName,
  isSharedChannel,
  KIND_VIEW_CHANNELS,
  PERSONAL_CHANNELS,
  type Severity,
} from '../events/event-types';
import type { Stack } from '../stacks/stack.entity';
import {
  ChannelPreference,
  StackEventSeverity,
  StackPreference,
  UserPreference,
} from './preference.entities';
import type { EventPreferenceRow, EventSeveritySetting, PreferenceCell } from './preference.types';
import { type ChannelColumn, channelColumns, storedCells } from './preferences.repository';

/** A change of one cell: a personal kind, a shared channel by id, or (deprecated) a shared kind. */
export interface CellChange {
  eventType: EventType;
  channel?: ChannelKind | null;
  channelId?: string | null;
  enabled: boolean;
}

export function cellKey(eventType: EventType, channel: string): string {
  return `${eventType}|${channel}`;
}

/**
 * How a cell is decided, most specific first:
 *   1. the stored cell (the channel's for a shared channel, the user's for a personal one);
 *   2. the seed's default for the event type.
 */
export function resolveCell(
  stored: boolean | undefined,
  eventType: EventType,
  channel: ChannelKind,
): boolean {
  return stored ?? defaultEnabled(eventType, channel);
}

/**
 * A cell's id. A shared channel's cell names the stack, the event type and the channel's id; a kind-level cell
 * (deprecated) the stack, the event type and the kind; a personal cell also its user.
 */
export function preferenceCellId(
  stackId: string,
  userId: string,
  eventType: EventType,
  channel: ChannelKind,
  channelId: string | null = null,
): string {
  const name = eventTypeName(eventType);
  if (channelId !== null) return derivedId('PreferenceCell', stackId, name, channelId);
  return isSharedChannel(channel)
    ? derivedId('PreferenceCell', stackId, name, channel)
    : derivedId('PreferenceCell', stackId, name, channel, userId);
}

/** A row holds the viewer's personal cells, so its id names the viewer. */
export function preferenceRowId(stackId: string, userId: string, eventType: EventType): string {
  return derivedId('EventPreferenceRow', stackId, eventTypeName(eventType), userId);
}

/** A cell as the API shows it; `kindLevel`: a shared kind's deprecated cell standing for its oldest channel. */
function buildCell(
  stackId: string,
  userId: string,
  eventType: EventType,
  channel: ChannelKind,
  channelId: string | null,
  stored: boolean | undefined,
  kindLevel = false,
): PreferenceCell {
  return {
    id: preferenceCellId(stackId, userId, eventType, channel, kindLevel ? null : channelId),
    eventType,
    channel,
    channelId,
    enabled: resolveCell(stored, eventType, channel),
    scope: isSharedChannel(channel) ? ChannelScope.SHARED : ChannelScope.PERSONAL,
    isDefault: stored === undefined,
  };
}

/** Where a change is written: a user's cell, a channel's cell, or a stack's kind-level cell. */
type CellTarget =
  | { to: 'user'; channel: ChannelKind }
  | { to: 'channel'; channel: ChannelKind; channelId: string; kindLevel: boolean }
  | { to: 'kind'; channel: ChannelKind };

function targetKey(target: CellTarget): string {
  return target.to === 'channel' ? target.channelId : target.channel;
}

/** At most this many viewers' matrices are kept; the least recently used goes first. */
const MAX_CACHED_MATRICES = 500;

/** Stored cells of the matrix: the stack's (by channel, or by kind when it has no channel of it) and each user's. */
export class PreferencesService {
  /**
   * Each viewer's matrix of a stack as of the stack's settings_version, which triggers bump on every write of a cell
   * or a channel (migrations 1764400000000 and 1765100000000). The rows are shared and must not be changed.
   */
  private readonly matrices = new VersionedCache<EventPreferenceRow[]>(MAX_CACHED_MATRICES);

  constructor(private readonly dataSource: DataSource) {}

  /** The viewer's matrix of a stack: from memory while the stack's settings_version is unchanged. */
  matrix(viewer: Viewer, stack: Stack): Promise<EventPreferenceRow[]> {
    if (typeof stack.settingsVersion !== 'number') return this.rows(viewer, stack, null);
    return this.matrices.get(`${stack.id} ${viewer.user.id}`, stack.settingsVersion, () =>
      this.rows(viewer, stack, null),
    );
  }

  /** One row of the viewer's matrix of a stack (what matrix lists for `eventType`). */
  async row(viewer: Viewer, stack: Stack, eventType: EventType): Promise<EventPreferenceRow> {
    const [row] = await this.rows(viewer, stack, eventType);
    return row;
  }

  /** One kind-level cell of the viewer's matrix of a stack (what matrix shows in `cells` for `channel`). */
  async cell(
    viewer: Viewer,
    stack: Stack,
    eventType: EventType,
    channel: ChannelKind,
  ): Promise<PreferenceCell> {
    return (await this.row(viewer, stack, eventType)).cells.find((cell) => cell.channel === channel)!;
  }

  /** One shared channel's cell of the viewer's matrix, or null when the stack has no such channel. */
  async channelCell(
    viewer: Viewer,
    stack: Stack,
    eventType: EventType,
    channelId: string,
  ): Promise<PreferenceCell | null> {
    const row = await this.row(viewer, stack, eventType);
    return row.channelCells.find((cell) => cell.channelId === channelId) ?? null;
  }

  /** The rows of the viewer's matrix: every event type's, or only `eventType`'s. */
  private async rows(
    viewer: Viewer,
    stack: Stack,
    eventType: EventType | null,
  ): Promise<EventPreferenceRow[]> {
    const userId = viewer.user.id;
    const [cells, columns] = await Promise.all([
      storedCells(this.dataSource.manager, stack.id, userId, eventType),
      channelColumns(this.dataSource.manager, stack.id),
    ]);
    const kindCells = new Map<string, boolean>();
    const channelCells = new Map<string, boolean>();
    const personalCells = new Map<string, boolean>();
    for (const row of cells) {
      if (row.personal) personalCells.set(cellKey(row.eventType, row.channel!), row.enabled);
      else if (row.channelId !== null) channelCells.set(cellKey(row.eventType, row.channelId), row.enabled);
      else kindCells.set(cellKey(row.eventType, row.channel!), row.enabled);
    }
    const oldest = new Map<ChannelKind, string>();
    for (const column of columns) if (!oldest.has(column.kind)) oldest.set(column.kind, column.id);
    const infos = eventType === null ? EVENT_TYPES : EVENT_TYPES.filter((info) => info.type === eventType);
    return infos.map((info): EventPreferenceRow => {
      const type = info.type;
      const personal = (channel: ChannelKind) =>
        buildCell(stack.id, userId, type, channel, null, personalCells.get(cellKey(type, channel)));
      const ofChannel = (column: ChannelColumn, kindLevel = false) =>
        buildCell(
          stack.id,
          userId,
          type,
          column.kind,
          column.id,
          channelCells.get(cellKey(type, column.id)),
          kindLevel,
        );
      return {
        id: preferenceRowId(stack.id, userId, type),
        eventType: type,
        key: info.key,
        title: info.title,
        description: info.description,
        group: info.group,
        cells: KIND_VIEW_CHANNELS.map((channel) => {
          if (!isSharedChannel(channel)) return personal(channel);
          const channelId = oldest.get(channel);
          return channelId
            ? ofChannel({ id: channelId, kind: channel }, true)
            : buildCell(stack.id, userId, type, channel, null, kindCells.get(cellKey(type, channel)));
        }),
        channelCells: [...PERSONAL_CHANNELS.map(personal), ...columns.map((column) => ofChannel(column))],
      };
    });
  }

  /** Applies all changes in one transaction, or none of them. */
  async setCells(viewer: Viewer, stack: Stack, changes: readonly CellChange[]): Promise<PreferenceCell[]> {
    const columns = await channelColumns(this.dataSource.manager, stack.id);
    const targets = changes.map((change, index) => cellTarget(change, columns, `changes.${index}`));
    const seen = new Set<string>();
    changes.forEach((change, index) => {
      const key = cellKey(change.eventType, targetKey(targets[index]));
      if (seen.has(key)) {
        throw new BadUserInputError(
          `names the cell ${change.eventType} x ${change.channelId ?? change.channel} twice`,
          'changes',
        );
      }
      seen.add(key);
    });
    if (targets.some((target) => target.to !== 'user')) {
      requireAdmin(viewer, 'change the cells of shared channels');
    }
    const rowsOf = <T>(to: CellTarget['to'], make: (change: CellChange, target: CellTarget) => T): T[] =>
      changes.flatMap((change, index) => (targets[index].to === to ? [make(change, targets[index])] : []));
    const channelRows = rowsOf('channel', (change, target) => ({
      channelId: (target as { channelId: string }).channelId,
      eventType: change.eventType,
      stackId: stack.id,
      enabled: change.enabled,
    }));
    const kindRows = rowsOf('kind', (change, target) => ({
      stackId: stack.id,
      eventType: change.eventType,
      channel: target.channel,
      enabled: change.enabled,
    }));
    const personalRows = rowsOf('user', (change, target) => ({
      userId: viewer.user.id,
      stackId: stack.id,
      eventType: change.eventType,
      channel: target.channel,
      enabled: change.enabled,
    }));
    await this.dataSource.transaction(async (manager) => {
      if (channelRows.length)
        await manager.upsert(ChannelPreference, channelRows, ['channelId', 'eventType']);
      if (kindRows.length)
        await manager.upsert(StackPreference, kindRows, ['stackId', 'eventType', 'channel']);
      if (personalRows.length) {
        await manager.upsert(UserPreference, personalRows, ['userId', 'stackId', 'eventType', 'channel']);
      }
    });
    return changes.map((change, index) => {
      const target = targets[index];
      const channelId = target.to === 'channel' ? target.channelId : null;
      const kindLevel = target.to === 'channel' && target.kindLevel;
      return buildCell(
        stack.id,
        viewer.user.id,
        change.eventType,
        target.channel,
        channelId,
        change.enabled,
        kindLevel,
      );
    });
  }

  /** Every event type's severity on the stack, in catalogue order. */
  async severities(stack: Stack): Promise<EventSeveritySetting[]> {
    const rows = await this.dataSource.getRepository(StackEventSeverity).findBy({ stackId: stack.id });
    const own = new Map(rows.map((row) => [row.eventType, row.severity]));
    return EVENT_TYPES.map((info) => severitySetting(info.type, own.get(info.type)));
  }

  /** Gives the stack its own severity for an event type; notifications published from now on carry it. */
  async setSeverity(
    viewer: Viewer,
    stack: Stack,
    eventType: EventType,
    severity: Severity,
  ): Promise<EventSeveritySetting> {
    requireAdmin(viewer, "change a stack's severities");
    await this.dataSource
      .getRepository(StackEventSeverity)
      .upsert({ stackId: stack.id, eventType, severity }, ['stackId', 'eventType']);
    return severitySetting(eventType, severity);
  }

  /** Returns an event type of the stack to the catalogue's severity. */
  async clearSeverity(viewer: Viewer, stack: Stack, eventType: EventType): Promise<EventSeveritySetting> {
    requireAdmin(viewer, "change a stack's severities");
    await this.dataSource.getRepository(StackEventSeverity).delete({ stackId: stack.id, eventType });
    return severitySetting(eventType, undefined);
  }
}

function severitySetting(eventType: EventType, own: Severity | undefined): EventSeveritySetting {
  const defaultSeverity = eventTypeInfo(eventType).severity;
  return { eventType, severity: own ?? defaultSeverity, defaultSeverity, overridden: own !== undefined };
}

/** Where a change goes; NOT_FOUND for a channel id that is not one of the stack's channels. */
function cellTarget(change: CellChange, columns: readonly ChannelColumn[], field: string): CellTarget {
  if (change.channelId != null) {
    const column = columns.find((candidate) => candidate.id === change.channelId);
    if (!column) throw new NotFoundError('Channel');
    if (change.channel != null && change.channel !== column.kind) {
      throw new BadUserInputError(
        `the channel is a ${column.kind} channel, not ${change.channel}`,
        `${field}.channel`,
      );
    }
    return { to: 'channel', channel: column.kind, channelId: column.id, kindLevel: false };
  }
  if (change.channel == null) {
    throw new BadUserInputError('give channelId (a shared channel) or channel (a personal kind)', field);
  }
  if (!isSharedChannel(change.channel)) return { to: 'user', channel: change.channel };
  if (!KIND_VIEW_CHANNELS.includes(change.channel)) {
    throw new BadUserInputError(`${change.channel} channels are named by channelId only`, `${field}.channel`);
  }
  // Deprecated: a shared kind stands for the stack's oldest channel of it, or for the kind while it has none.
  const oldest = columns.find((candidate) => candidate.kind === change.channel);
  return oldest
    ? { to: 'channel', channel: oldest.kind, channelId: oldest.id, kindLevel: true }
    : { to: 'kind', channel: change.channel };
}
