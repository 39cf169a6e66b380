// Who gets each event type of a stack (and how severe it is there), cached per stack and checked against the stack's settings_version: database
// triggers bump that counter whenever a channel, a preference, a user, a device or a Web Push subscription that
// could change the answer is written (migration 1764400000000), so a cached answer is used only while it is current,
// whichever instance wrote the change.
import { In, type DataSource, type EntityManager } from 'typeorm';
import { VersionedCache } from '../../lib/versioned-cache';
import { User } from '../accounts/user.entity';
import { IosDevice } from '../channels/ios-device.entity';
import { StackChannel } from '../channels/stack-channel.entity';
import { WebPushSubscription } from '../channels/web-push-subscription.entity';
import { ChannelKind, eventTypeInfo, type EventType, type Severity } from '../events/event-types';
import type { Stack } from '../stacks/stack.entity';
import { daysOf, QuietHoursRow, StackDigest, StackFlapping } from '../noise/noise.entities';
import type { DigestRule, NoiseSettings } from '../noise/noise-rules';
import type { QuietHoursRule } from '../noise/quiet-hours';
import { ChannelPreference, StackEventSeverity, UserPreference } from './preference.entities';
import { resolveCell } from './preferences.service';
import { decideRecipients, type Recipients } from './recipients';

/** Who gets one event type, and at which personal addresses, and how severe the event type is on the stack. */
export interface Audience {
  /** The stack's severity of the event type: its override, or the catalogue's default. */
  severity: Severity;
  recipients: Recipients<StackChannel>;
  usersById: ReadonlyMap<string, User>;
  /** The iOS devices of the users whose IOS cell is on. */
  devices: readonly IosDevice[];
  /** The Web Push subscriptions of the users whose BROWSER cell is on. */
  subscriptions: readonly WebPushSubscription[];
  /** The stack's quiet hours, digests and flapping rule, shared by every event type. */
  noise: NoiseSettings;
}

interface StackSettings {
  severities: Map<EventType, Severity>;
  /** Each shared channel's stored cells: event type -> channel id -> enabled. */
  stackCells: Map<EventType, Map<string, boolean>>;
  userCells: Map<EventType, Map<string, Map<ChannelKind, boolean>>>;
  channels: StackChannel[];
  users: User[];
  usersById: Map<string, User>;
  devicesByUser: Map<string, IosDevice[]>;
  subscriptionsByUser: Map<string, WebPushSubscription[]>;
  noise: NoiseSettings;
  byEventType: Map<EventType, Audience>;
}

/** At most this many stacks are kept; the least recently used goes first. */
const MAX_CACHED_STACKS = 2000;
/** Bound parameters per IN list, well under SQLite's limit. */
const IN_CHUNK = 500;

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

async function findByUsers<T extends IosDevice | WebPushSubscription | QuietHoursRow>(
  manager: EntityManager,
  entity: new () => T,
  userIds: readonly string[],
): Promise<T[]> {
  const rows: T[] = [];
  for (let start = 0; start < userIds.length; start += IN_CHUNK) {
    const chunk = userIds.slice(start, start + IN_CHUNK);
    rows.push(...((await manager.findBy(entity, { userId: In(chunk) } as never)) as T[]));
  }
  return rows;
}

async function loadSettings(manager: EntityManager, stack: Stack): Promise<StackSettings> {
  const [stackRows, channels, users, severityRows, digestRows, flapping] = await Promise.all([
    manager.findBy(ChannelPreference, { stackId: stack.id }),
    manager.find(StackChannel, { where: { stackId: stack.id }, order: { createdAt: 'ASC', id: 'ASC' } }),
    manager.findBy(User, { accountId: stack.accountId }),
    manager.findBy(StackEventSeverity, { stackId: stack.id }),
    manager.findBy(StackDigest, { stackId: stack.id }),
    manager.findOneBy(StackFlapping, { stackId: stack.id }),
  ]);
  const userIds = users.map((user) => user.id);
  const [userRows, devices, subscriptions, quietRows] = await Promise.all([
    manager.findBy(UserPreference, { stackId: stack.id }),
    findByUsers(manager, IosDevice, userIds),
    findByUsers(manager, WebPushSubscription, userIds),
    findByUsers(manager, QuietHoursRow, userIds),
  ]);
  const stackCells = new Map<EventType, Map<string, boolean>>();
  for (const row of stackRows) {
    let cells = stackCells.get(row.eventType);
    if (!cells) stackCells.set(row.eventType, (cells = new Map()));
    cells.set(row.channelId, row.enabled);
  }
  const usersById = new Map(users.map((user) => [user.id, user]));
  const userCells = new Map<EventType, Map<string, Map<ChannelKind, boolean>>>();
  for (const row of userRows) {
    if (!usersById.has(row.userId)) continue;
    let byUser = userCells.get(row.eventType);
    if (!byUser) userCells.set(row.eventType, (byUser = new Map()));
    let cells = byUser.get(row.userId);
    if (!cells) byUser.set(row.userId, (cells = new Map()));
    cells.set(row.channel, row.enabled);
  }
  return {
    severities: new Map(severityRows.map((row) => [row.eventType, row.severity])),
    stackCells,
    userCells,
    channels,
    users,
    usersById,
    devicesByUser: groupBy(devices, (device) => device.userId),
    subscriptionsByUser: groupBy(subscriptions, (subscription) => subscription.userId),
    noise: {
      quietHours: new Map<string, QuietHoursRule>(
        quietRows.map((row) => [
          row.userId,
          {
            timeZone: row.timeZone,
            startMinute: row.startMinute,
            endMinute: row.endMinute,
            days: daysOf(row),
          },
        ]),
      ),
      digests: new Map<ChannelKind, DigestRule>(
        digestRows.map((row) => [
          row.channel,
          { windowMinutes: row.windowMinutes, allowance: row.allowance },
        ]),
      ),
      flapping: flapping && {
        threshold: flapping.threshold,
        windowMinutes: flapping.windowMinutes,
        settleMinutes: flapping.settleMinutes,
      },
    },
    byEventType: new Map(),
  };
}

function decide(settings: StackSettings, eventType: EventType): Audience {
  const recipients = decideRecipients({
    eventType,
    stackCells: settings.stackCells.get(eventType) ?? new Map(),
    userCells: settings.userCells.get(eventType) ?? new Map(),
    userIds: settings.users.map((user) => user.id),
    sharedChannels: settings.channels,
  });
  return {
    severity: settings.severities.get(eventType) ?? eventTypeInfo(eventType).severity,
    recipients,
    usersById: settings.usersById,
    devices: recipients.users.IOS.flatMap((userId) => settings.devicesByUser.get(userId) ?? []),
    subscriptions: recipients.users.BROWSER.flatMap(
      (userId) => settings.subscriptionsByUser.get(userId) ?? [],
    ),
    noise: settings.noise,
  };
}

export class AudienceCache {
  private readonly stacks = new VersionedCache<StackSettings>(MAX_CACHED_STACKS);

  constructor(private readonly dataSource: DataSource) {}

  /**
   * Who gets `eventType` on `stack`, as of the settings_version read with the stack. Entries are shared and must
   * not be changed by the caller.
   */
  async of(stack: Stack, eventType: EventType): Promise<Audience> {
    const settings = await this.settings(stack);
    let audience = settings.byEventType.get(eventType);
    if (!audience) settings.byEventType.set(eventType, (audience = decide(settings, eventType)));
    return audience;
  }

  /** One user's personal cells of one channel, per event type, from the same cached settings. */
  async personalCells(
    stack: Stack,
    userId: string,
    channel: ChannelKind,
  ): Promise<(eventType: EventType) => boolean> {
    const { userCells } = await this.settings(stack);
    return (eventType) =>
      resolveCell(userCells.get(eventType)?.get(userId)?.get(channel), eventType, channel);
  }

  private settings(stack: Stack): Promise<StackSettings> {
    if (typeof stack.settingsVersion !== 'number') return loadSettings(this.dataSource.manager, stack);
    return this.stacks.get(stack.id, stack.settingsVersion, () =>
      loadSettings(this.dataSource.manager, stack),
    );
  }
}
