// Channel configuration: shared channels per stack (OWNER/ADMIN), personal devices and subscriptions per user.
import { type Clock, systemClock } from '../../lib/clock';
import { isUniqueViolation } from '../../db/sql';
import { ECDH, randomBytes } from 'node:crypto';
import { In, IsNull, Not, type DataSource, type Repository } from 'typeorm';
import { BadUserInputError, NotFoundError } from '../../lib/errors';
import { derivedId } from '../../lib/global-id';
import type { SecretBox } from '../../lib/secret-box';
import { parseEndpointUrl } from '../../lib/urls';
import { canAdminister, requireAdmin } from '../accounts/accounts.service';
import type { Viewer } from '../accounts/tokens.service';
import {
  ChannelKind,
  DEFAULT_CHANNEL_NAMES,
  isPersonalChannel,
  isSharedChannel,
  KIND_VIEW_CHANNELS,
  type PersonalChannelKind,
  type SharedChannelKind,
} from '../events/event-types';
import { ChannelPreference } from '../preferences/preference.entities';
import { Stack } from '../stacks/stack.entity';
import { Role, User } from '../accounts/user.entity';
import {
  BrowserChannel,
  type Channel,
  ChannelHealth,
  ChannelScope,
  DiscordChannel,
  EmailChannel,
  HipchatChannel,
  IosChannel,
  SlackChannel,
  TeamsChannel,
  WebhookChannel,
} from './channel.types';
import type { ChannelInput } from './channel.inputs';
import {
  type ChannelView,
  channelViews,
  copyKindCells,
  hasIosDevice,
  stackChannelHealth,
} from './channels.repository';
import { IosDevice } from './ios-device.entity';
import {
  type ChannelSettings,
  type ChatWebhookSettings,
  type HipchatSettings,
  type SlackSettings,
  StackChannel,
  type WebhookSettings,
} from './stack-channel.entity';
import { WebPushSubscription } from './web-push-subscription.entity';
import { stopWaitingDeliveries } from '../deliveries/outbox.repository';

/** Checks that a URL may be posted to (the SSRF guard plugs in here); returns a warning for the caller, or null. */
export interface TargetPolicy {
  assertAllowed(url: URL, field: string): Promise<string | null>;
}

export const allowAllTargets: TargetPolicy = { assertAllowed: async () => null };

/** Tells an account's owners about their channels, e.g. that one was disabled. */
export interface OwnerNotifier {
  sendNotice(to: string[], subject: string, text: string): Promise<void>;
}

export interface ChannelHealthOptions {
  /** A shared channel whose every attempt failed for this long is disabled. */
  disableAfterHours: number;
  notifier: OwnerNotifier | null;
}

function lastChars(value: string, count = 4): string {
  return value.length <= count ? value : value.slice(-count);
}

/** What Slack and webhook URLs show of themselves: the host and the end of the path, never the query string. */
function urlHint(url: URL): string {
  return `${url.host}/…${lastChars(url.pathname)}`;
}

/** An uncompressed point on the P-256 curve, as the browser's p256dh key is; anything else cannot encrypt. */
export function isP256PublicKey(key: Buffer): boolean {
  if (key.length !== 65 || key[0] !== 4) return false;
  try {
    ECDH.convertKey(key, 'prime256v1');
    return true;
  } catch {
    return false;
  }
}

/** Endpoints are stored as parsed URLs (URL.href), so a lookup must normalise the same way. */
function normalizedEndpoint(endpoint: string): string {
  try {
    return new URL(endpoint).href;
  } catch {
    return endpoint;
  }
}

/** How long a rotated-out webhook secret keeps signing, so receivers can switch without dropping messages. */
export const WEBHOOK_SECRET_GRACE_MS = 24 * 3600_000;

export function generateWebhookSecret(): string {
  // Standard Webhooks: whsec_ followed by the base64 of 24 to 64 random bytes.
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The shared channels of a stack (the columns the API shows), and one IOS row if the user has a device. Written
 * with ? placeholders (SQLite); PostgreSQL numbers them.
 */
/**
 * A shared channel is the stack's, whoever looks at it: its id names the stack. A personal channel shows the same
 * to its user on every stack (their address, devices, subscriptions) and is seen by nobody else: its id names the
 * user.
 */
export function sharedChannelId(typeName: string, stackId: string): string {
  return derivedId(typeName, stackId);
}

export function personalChannelId(typeName: string, userId: string): string {
  return derivedId(typeName, userId);
}

/** The viewer's BROWSER or IOS channel; their devices and subscriptions are resolved when asked for. */
function personalChannel<T extends BrowserChannel | IosChannel>(
  channel: T,
  kind: ChannelKind.BROWSER | ChannelKind.IOS,
  configured: boolean,
  userId: string,
): T {
  return Object.assign(channel, {
    id: personalChannelId(kind === ChannelKind.IOS ? 'IosChannel' : 'BrowserChannel', userId),
    channelId: null,
    kind,
    name: DEFAULT_CHANNEL_NAMES[kind],
    scope: ChannelScope.PERSONAL,
    configured,
    enabled: true,
    disabledReason: null,
  });
}

/** The GraphQL type name of each shared kind: a kind-level (deprecated) channel's id is derived from it. */
const TYPE_NAME_OF_KIND: Record<SharedChannelKind, string> = {
  HIPCHAT: 'HipchatChannel',
  SLACK: 'SlackChannel',
  WEBHOOK: 'WebhookChannel',
  TEAMS: 'TeamsChannel',
  DISCORD: 'DiscordChannel',
};

/** A channel as the API shows it, under `id`: its own row id, or a kind-level id naming the stack. */
function sharedChannelView(
  id: string,
  kind: SharedChannelKind,
  row: ChannelView | undefined,
  fullUrl: boolean,
): Channel {
  const common = {
    id,
    channelId: row?.id ?? null,
    stackId: row?.stackId ?? null,
    kind,
    name: row?.name ?? DEFAULT_CHANNEL_NAMES[kind],
    scope: ChannelScope.SHARED,
    configured: row !== undefined,
    enabled: row ? row.enabled : false,
    disabledReason: row?.disabledReason ?? null,
  };
  switch (kind) {
    case ChannelKind.HIPCHAT:
      return Object.assign(new HipchatChannel(), common, {
        room: row ? (row.settings as HipchatSettings).room : null,
        tokenHint: row?.secretHint ?? null,
      });
    case ChannelKind.SLACK:
      return Object.assign(new SlackChannel(), common, {
        channelName: row ? (row.settings as SlackSettings).channel : null,
        urlHint: row?.secretHint ?? null,
      });
    case ChannelKind.WEBHOOK: {
      // A webhook URL can carry a secret in its query string: only callers who may change it see it whole.
      const url = row ? (row.settings as WebhookSettings).url : null;
      return Object.assign(new WebhookChannel(), common, {
        url: fullUrl ? url : null,
        urlHint: url === null ? null : urlHint(new URL(url)),
        secretHint: row?.secretHint ?? null,
      });
    }
    case ChannelKind.TEAMS:
      return Object.assign(new TeamsChannel(), common, { urlHint: row?.secretHint ?? null });
    case ChannelKind.DISCORD:
      return Object.assign(new DiscordChannel(), common, { urlHint: row?.secretHint ?? null });
  }
}

/** The oldest channel of each kind among `rows` (oldest first): what the kind-level views stand for. */
function oldestByKind(rows: readonly ChannelView[]): Map<ChannelKind, ChannelView> {
  const byKind = new Map<ChannelKind, ChannelView>();
  for (const row of rows) if (!byKind.has(row.kind)) byKind.set(row.kind, row);
  return byKind;
}

/** What a channel's input sets: its kind, settings, secret and the secret's hint. */
interface ChannelConfiguration {
  kind: SharedChannelKind;
  settings: ChannelSettings;
  /** null: keep the stored secret (a webhook's signing secret when only its URL changes). */
  secret: string | null;
  secretHint: string | null;
  warning: string | null;
}

/** The most channels a stack may have. */
export const MAX_CHANNELS_PER_STACK = 50;

function emailChannel(viewer: Viewer): EmailChannel {
  return Object.assign(new EmailChannel(), {
    id: personalChannelId('EmailChannel', viewer.user.id),
    channelId: null,
    kind: ChannelKind.EMAIL,
    name: DEFAULT_CHANNEL_NAMES.EMAIL,
    scope: ChannelScope.PERSONAL,
    configured: true,
    enabled: true,
    disabledReason: null,
    address: viewer.user.email,
  });
}

export class ChannelsService {
  private readonly channels: Repository<StackChannel>;
  private readonly devices: Repository<IosDevice>;
  private readonly subscriptions: Repository<WebPushSubscription>;

  constructor(
    private readonly dataSource: DataSource,
    /** Encrypts the channels' secrets at rest; readers of StackChannel rows decrypt with it. */
    readonly secrets: SecretBox,
    private readonly targets: TargetPolicy = allowAllTargets,
    private readonly health: ChannelHealthOptions = { disableAfterHours: 72, notifier: null },
    private readonly clock: Clock = systemClock,
  ) {
    this.channels = dataSource.getRepository(StackChannel);
    this.devices = dataSource.getRepository(IosDevice);
    this.subscriptions = dataSource.getRepository(WebPushSubscription);
  }

  /**
   * The six channels of the deprecated kind-level list: the viewer's own and, for Hipchat, Slack and webhook, the
   * stack's oldest channel of the kind, from one query. The viewer's iOS devices and Web Push subscriptions are read
   * only if asked for (devicesOf, webPushSubscriptionsOf): the list itself only needs to know whether a device exists.
   */
  async listForViewer(viewer: Viewer, stack: Stack): Promise<Channel[]> {
    const [rows, hasDevice] = await Promise.all([
      channelViews(this.dataSource.manager, stack.id),
      hasIosDevice(this.dataSource.manager, viewer.user.id),
    ]);
    const byKind = oldestByKind(rows);
    const userId = viewer.user.id;
    const fullUrl = canAdminister(viewer);
    const kindLevel = (kind: SharedChannelKind) =>
      sharedChannelView(sharedChannelId(TYPE_NAME_OF_KIND[kind], stack.id), kind, byKind.get(kind), fullUrl);
    return [
      personalChannel(new BrowserChannel(), ChannelKind.BROWSER, true, userId),
      emailChannel(viewer),
      kindLevel(ChannelKind.HIPCHAT),
      personalChannel(new IosChannel(), ChannelKind.IOS, hasDevice, userId),
      kindLevel(ChannelKind.SLACK),
      kindLevel(ChannelKind.WEBHOOK),
    ];
  }

  /** A stack's shared channels, every kind, oldest first, each under its own id. */
  async sharedChannelsForViewer(viewer: Viewer, stack: Stack): Promise<Channel[]> {
    const rows = await channelViews(this.dataSource.manager, stack.id);
    const fullUrl = canAdminister(viewer);
    return rows.map((row) => sharedChannelView(row.id, row.kind as SharedChannelKind, row, fullUrl));
  }

  /** How each shared channel of a stack has been delivering, by channel id, from one statement. */
  async healthOfStackChannels(stackId: string): Promise<Map<string, ChannelHealth>> {
    const rows = await stackChannelHealth(this.dataSource.manager, stackId);
    return new Map(
      rows.map((row) => [
        row.channelId,
        Object.assign(new ChannelHealth(), {
          lastDeliveryAt: row.lastDeliveryAt,
          lastDeliveryOk: row.lastDeliveryOk,
          lastStatusCode: row.lastStatusCode,
          lastError: row.lastDeliveryOk === false ? row.lastError : null,
          failingSince: row.failingSince,
          deadCount: row.deadCount,
        }),
      ]),
    );
  }

  /** The shared channels with these ids on stacks of the viewer's account, as sharedChannelsForViewer shows them. */
  async sharedChannelsByIds(viewer: Viewer, ids: readonly string[]): Promise<Channel[]> {
    if (ids.length === 0) return [];
    const rows = await this.channels
      .createQueryBuilder('c')
      .innerJoin(Stack, 's', 's.id = c.stackId AND s.accountId = :accountId', {
        accountId: viewer.account.id,
      })
      .where('c.id IN (:...ids)', { ids })
      .getMany();
    const fullUrl = canAdminister(viewer);
    return rows.map((row) => sharedChannelView(row.id, row.kind as SharedChannelKind, row, fullUrl));
  }

  /** One channel of a stack as the viewer sees it (what listForViewer lists for `kind`). */
  async channelForViewer(viewer: Viewer, stack: Stack, kind: ChannelKind): Promise<Channel> {
    if (isPersonalChannel(kind)) return this.personalChannelForViewer(viewer, kind);
    const row = await this.oldestOfKind(stack.id, kind);
    return sharedChannelView(
      sharedChannelId(TYPE_NAME_OF_KIND[kind], stack.id),
      kind,
      row ?? undefined,
      canAdminister(viewer),
    );
  }

  /** A shared channel by its id, as the viewer sees it. */
  async channelByIdForViewer(viewer: Viewer, channel: StackChannel): Promise<Channel> {
    return sharedChannelView(channel.id, channel.kind as SharedChannelKind, channel, canAdminister(viewer));
  }

  /** The stack's oldest channel of a kind: the one the deprecated kind-level operations act on. */
  oldestOfKind(stackId: string, kind: ChannelKind): Promise<StackChannel | null> {
    return this.channels.findOne({ where: { stackId, kind }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /**
   * A shared channel of a stack of the viewer's account, with its stack; NOT_FOUND for anything else (another
   * account's channel, an id that is not a channel's), so ids of other accounts tell nothing.
   */
  async visibleChannel(viewer: Viewer, channelId: string): Promise<{ channel: StackChannel; stack: Stack }> {
    const found = UUID.test(channelId)
      ? ((await this.channels
          .createQueryBuilder('c')
          .innerJoinAndMapOne('c.stack', Stack, 's', 's.id = c.stackId AND s.accountId = :accountId', {
            accountId: viewer.account.id,
          })
          .where('c.id = :channelId', { channelId })
          .getOne()) as (StackChannel & { stack: Stack }) | null)
      : null;
    if (!found) throw new NotFoundError('Channel');
    const { stack, ...channel } = found;
    return { channel: Object.assign(new StackChannel(), channel), stack };
  }

  /**
   * The viewer's own channel of a personal kind (EMAIL, BROWSER or IOS): the same on each of their stacks, as
   * listForViewer lists it.
   */
  async personalChannelForViewer(viewer: Viewer, kind: PersonalChannelKind): Promise<Channel> {
    switch (kind) {
      case ChannelKind.EMAIL:
        return emailChannel(viewer);
      case ChannelKind.BROWSER:
        return personalChannel(new BrowserChannel(), ChannelKind.BROWSER, true, viewer.user.id);
      case ChannelKind.IOS: {
        const hasDevice = await hasIosDevice(this.dataSource.manager, viewer.user.id);
        return personalChannel(new IosChannel(), ChannelKind.IOS, hasDevice, viewer.user.id);
      }
    }
  }

  /** The viewer's own iOS devices with these ids (IosChannel.devices shows nobody else's, not even to an ADMIN). */
  devicesByIds(viewer: Viewer, ids: readonly string[]): Promise<IosDevice[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.devices.findBy({ id: In([...ids]), userId: viewer.user.id });
  }

  /** The viewer's own Web Push subscriptions with these ids (as BrowserChannel.webPushSubscriptions shows them). */
  webPushSubscriptionsByIds(viewer: Viewer, ids: readonly string[]): Promise<WebPushSubscription[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.subscriptions.findBy({ id: In([...ids]), userId: viewer.user.id });
  }

  /** The viewer's iOS devices, oldest first. */
  devicesOf(viewer: Viewer): Promise<IosDevice[]> {
    return this.devices.find({ where: { userId: viewer.user.id }, order: { createdAt: 'ASC' } });
  }

  /** The viewer's Web Push subscriptions, oldest first. */
  webPushSubscriptionsOf(viewer: Viewer): Promise<WebPushSubscription[]> {
    return this.subscriptions.find({ where: { userId: viewer.user.id }, order: { createdAt: 'ASC' } });
  }

  /**
   * A new channel of the stack, of the kind whose settings the input gives, under the input's name or the kind's
   * (numbered when taken). It starts from the stack's kind-level cells, if any were set.
   */
  async createChannel(
    viewer: Viewer,
    stack: Stack,
    input: ChannelInput,
  ): Promise<{ channel: Channel; signingSecret: string | null; warning: string | null }> {
    requireAdmin(viewer, 'create shared channels');
    const kind = kindOfInput(input);
    if (!kind)
      throw new BadUserInputError(`must give the settings of exactly one kind (${INPUT_FIELDS})`, 'input');
    const count = await this.channels.countBy({ stackId: stack.id });
    if (count >= MAX_CHANNELS_PER_STACK) {
      throw new BadUserInputError(`a stack has at most ${MAX_CHANNELS_PER_STACK} channels`, 'input');
    }
    const configuration = await this.configuration(kind, input, null);
    const signingSecret = kind === ChannelKind.WEBHOOK ? configuration.secret : null;
    const name = await this.nameFor(stack.id, input.name ?? null, kind, null);
    const row = this.channels.create({ stackId: stack.id, kind, name });
    this.apply(row, configuration);
    await refuseTakenName(row.name, () =>
      this.dataSource.transaction(async (manager) => {
        await manager.getRepository(StackChannel).insert(row);
        await copyKindCells(manager, row);
      }),
    );
    return {
      channel: sharedChannelView(row.id, kind, row, canAdminister(viewer)),
      signingSecret,
      warning: configuration.warning,
    };
  }

  /** Renames a channel and, when the input gives its kind's settings, configures it again (and enables it). */
  async updateChannel(
    viewer: Viewer,
    channelId: string,
    input: ChannelInput,
  ): Promise<{ channel: Channel; signingSecret: string | null; warning: string | null }> {
    const { channel } = await this.visibleChannel(viewer, channelId);
    requireAdmin(viewer, 'change shared channels');
    const kind = kindOfInput(input);
    const given = INPUT_FIELD_BY_KIND.filter(([, field]) => input[field] != null);
    if (given.length > 1 || (kind !== null && kind !== channel.kind)) {
      throw new BadUserInputError(
        `this is a ${channel.kind} channel: give its settings as input.${INPUT_FIELD_OF_KIND[channel.kind as SharedChannelKind]} only`,
        'input',
      );
    }
    if (input.name != null)
      channel.name = await this.nameFor(channel.stackId, input.name, channel.kind, channel.id);
    let warning: string | null = null;
    if (kind) {
      const configuration = await this.configuration(kind, input, channel);
      warning = configuration.warning;
      this.apply(channel, configuration);
    } else {
      channel.updatedAt = this.clock.now();
    }
    await refuseTakenName(channel.name, () => this.channels.save(channel));
    return {
      channel: sharedChannelView(
        channel.id,
        channel.kind as SharedChannelKind,
        channel,
        canAdminister(viewer),
      ),
      signingSecret: null,
      warning,
    };
  }

  /**
   * Removes a channel with its cells. Its deliveries stay in the log; those still waiting (pending, held, or a
   * summary not yet sent) fail at once, as there is nowhere to send them. One being sent right now finishes.
   */
  async deleteChannel(
    viewer: Viewer,
    channelId: string,
  ): Promise<{ deletedChannelId: string; stoppedDeliveries: number }> {
    const { channel } = await this.visibleChannel(viewer, channelId);
    requireAdmin(viewer, 'remove shared channels');
    const stoppedDeliveries = await this.removeRow(channel);
    return { deletedChannelId: channel.id, stoppedDeliveries };
  }

  /** A new signing secret for a webhook channel, returned once; the old one still signs for WEBHOOK_SECRET_GRACE_MS. */
  async rotateSigningSecret(
    viewer: Viewer,
    channelId: string,
  ): Promise<{ channel: Channel; signingSecret: string; warning: null }> {
    const { channel } = await this.visibleChannel(viewer, channelId);
    requireAdmin(viewer, 'rotate webhook secrets');
    if (channel.kind !== ChannelKind.WEBHOOK) {
      throw new BadUserInputError('only webhook channels have a signing secret', 'id');
    }
    const signingSecret = await this.rotate(channel);
    return {
      channel: sharedChannelView(channel.id, ChannelKind.WEBHOOK, channel, canAdminister(viewer)),
      signingSecret,
      warning: null,
    };
  }

  async configureHipchat(
    viewer: Viewer,
    stack: Stack,
    input: { token: string; room: string },
  ): Promise<HipchatChannel> {
    requireAdmin(viewer, 'configure shared channels');
    const row = await this.configureOldest(stack, ChannelKind.HIPCHAT, { hipchat: input });
    return this.kindLevel(viewer, stack, row.row) as HipchatChannel;
  }

  async configureSlack(
    viewer: Viewer,
    stack: Stack,
    input: { url: string; channel?: string | null },
  ): Promise<SlackChannel> {
    requireAdmin(viewer, 'configure shared channels');
    const { row, warning } = await this.configureOldest(stack, ChannelKind.SLACK, { slack: input });
    return Object.assign(this.kindLevel(viewer, stack, row) as SlackChannel, { warning });
  }

  /** Sets the endpoint; a signing secret is generated the first time and kept when only the URL changes. */
  async configureWebhook(
    viewer: Viewer,
    stack: Stack,
    input: { url: string },
  ): Promise<{ channel: WebhookChannel; signingSecret: string | null; warning: string | null }> {
    requireAdmin(viewer, 'configure shared channels');
    const { row, warning, created, secret } = await this.configureOldest(stack, ChannelKind.WEBHOOK, {
      webhook: input,
    });
    return {
      channel: this.kindLevel(viewer, stack, row) as WebhookChannel,
      signingSecret: created ? secret : null,
      warning,
    };
  }

  /** A new signing secret, returned once; the old one is still signed with for WEBHOOK_SECRET_GRACE_MS. */
  async rotateWebhookSecret(
    viewer: Viewer,
    stack: Stack,
  ): Promise<{ channel: WebhookChannel; signingSecret: string }> {
    requireAdmin(viewer, 'rotate webhook secrets');
    const row = await this.oldestOfKind(stack.id, ChannelKind.WEBHOOK);
    if (!row) throw new NotFoundError('WEBHOOK channel');
    const signingSecret = await this.rotate(row);
    return { channel: this.kindLevel(viewer, stack, row) as WebhookChannel, signingSecret };
  }

  /** Removes the stack's oldest channel of a kind (deprecated: deleteChannel removes one by id). */
  async removeChannel(viewer: Viewer, stack: Stack, kind: ChannelKind): Promise<Channel> {
    if (!isSharedChannel(kind)) {
      throw new BadUserInputError(
        'personal channels are not removed: turn their cells off, or unregister devices and subscriptions',
        'kind',
      );
    }
    if (!KIND_VIEW_CHANNELS.includes(kind)) {
      throw new BadUserInputError(`${kind} channels are removed by id: deleteChannel`, 'kind');
    }
    requireAdmin(viewer, 'remove shared channels');
    const row = await this.oldestOfKind(stack.id, kind);
    if (!row) throw new NotFoundError(`${kind} channel`);
    await this.removeRow(row);
    // The kind-level view of what is left: the next oldest channel of the kind, or none.
    return this.channelForViewer(viewer, stack, kind);
  }

  /**
   * Tracks failing streaks of shared channels: a success ends a streak; a failure after a streak of
   * disableAfterHours disables the channel and tells the account's owners why.
   */
  async recordDeliveryOutcome(channelId: string, ok: boolean, at: Date): Promise<void> {
    if (ok) {
      await this.channels.update({ id: channelId, failingSince: Not(IsNull()) }, { failingSince: null });
      return;
    }
    const channel = await this.channels.findOneBy({ id: channelId });
    if (!channel || !channel.enabled) return;
    if (!channel.failingSince) {
      await this.channels.update({ id: channelId, failingSince: IsNull() }, { failingSince: at });
      return;
    }
    const hours = this.health.disableAfterHours;
    if (at.getTime() - channel.failingSince.getTime() < hours * 3600_000) return;
    const reason =
      `Disabled at ${at.toISOString()}: every delivery failed for more than ${hours} hours ` +
      `(since ${channel.failingSince.toISOString()}). Fix the endpoint and configure the channel again.`;
    const result = await this.channels.update(
      { id: channelId, enabled: true },
      { enabled: false, disabledReason: reason },
    );
    if (!result.affected || !this.health.notifier) return;
    const stack = await this.dataSource.getRepository(Stack).findOneBy({ id: channel.stackId });
    if (!stack) return;
    const owners = await this.dataSource
      .getRepository(User)
      .findBy({ accountId: stack.accountId, role: Role.OWNER });
    await this.health.notifier.sendNotice(
      owners.map((owner) => owner.email),
      `[${stack.name}] ${channel.kind} notifications were disabled`,
      `The ${channel.kind} channel "${channel.name}" of stack "${stack.name}" (${stack.environment}) was ` +
        `disabled.\n\n${reason}\n`,
    );
  }

  /**
   * Registers a device for the viewer, or renames it if the viewer already did. A token is the viewer's own row: the
   * same phone registered by someone else keeps its row for them, untouched.
   */
  async registerIosDevice(
    viewer: Viewer,
    input: { token: string; deviceName?: string | null },
  ): Promise<IosDevice> {
    const token = input.token.toLowerCase();
    const existing = await this.devices.findOneBy({ userId: viewer.user.id, token });
    if (existing) {
      existing.deviceName = input.deviceName ?? existing.deviceName;
      await this.devices.update({ id: existing.id }, { deviceName: existing.deviceName });
      return existing;
    }
    const device = this.devices.create({
      userId: viewer.user.id,
      token,
      deviceName: input.deviceName ?? null,
    });
    await this.devices.insert(device);
    return device;
  }

  async unregisterIosDevice(viewer: Viewer, token: string): Promise<boolean> {
    const result = await this.devices.delete({ token: token.toLowerCase(), userId: viewer.user.id });
    if (!result.affected) throw new NotFoundError('iOS device');
    return true;
  }

  /** Only the viewer's own: another user's device, or an id of nothing, is NOT_FOUND alike. */
  async removeIosDevice(viewer: Viewer, id: string): Promise<string> {
    const result = await this.devices.delete({ id, userId: viewer.user.id });
    if (!result.affected) throw new NotFoundError('iOS device');
    return id;
  }

  async registerWebPushSubscription(
    viewer: Viewer,
    input: { endpoint: string; keys: { p256dh: string; auth: string } },
  ): Promise<WebPushSubscription> {
    const endpoint = parseEndpointUrl(input.endpoint, 'input.endpoint', ['https:', 'http:']);
    const warning = await this.targets.assertAllowed(endpoint, 'input.endpoint');
    if (!isP256PublicKey(Buffer.from(input.keys.p256dh, 'base64url'))) {
      throw new BadUserInputError('must be an uncompressed P-256 public key (65 bytes)', 'input.keys.p256dh');
    }
    if (Buffer.from(input.keys.auth, 'base64url').length !== 16) {
      throw new BadUserInputError('must be 16 bytes', 'input.keys.auth');
    }
    // As with devices, an endpoint is the viewer's own row: another user's registration of it is left alone.
    const values = { p256dh: input.keys.p256dh, auth: input.keys.auth };
    const existing = await this.subscriptions.findOneBy({ userId: viewer.user.id, endpoint: endpoint.href });
    if (existing) {
      await this.subscriptions.update({ id: existing.id }, values);
      return Object.assign(existing, values, { warning });
    }
    const subscription = this.subscriptions.create({
      ...values,
      userId: viewer.user.id,
      endpoint: endpoint.href,
    });
    await this.subscriptions.insert(subscription);
    return Object.assign(subscription, { warning });
  }

  async unregisterWebPushSubscription(viewer: Viewer, endpoint: string): Promise<boolean> {
    const result = await this.subscriptions.delete({
      endpoint: normalizedEndpoint(endpoint),
      userId: viewer.user.id,
    });
    if (!result.affected) throw new NotFoundError('Web Push subscription');
    return true;
  }

  /** The kind-level (deprecated) view of a stack's oldest channel of its kind. */
  private kindLevel(viewer: Viewer, stack: Stack, row: StackChannel): Channel {
    const kind = row.kind as SharedChannelKind;
    return sharedChannelView(
      sharedChannelId(TYPE_NAME_OF_KIND[kind], stack.id),
      kind,
      row,
      canAdminister(viewer),
    );
  }

  /** Configures the stack's oldest channel of a kind, creating it (under the kind's name) when there is none. */
  private async configureOldest(
    stack: Stack,
    kind: SharedChannelKind,
    input: ChannelInput,
  ): Promise<{ row: StackChannel; warning: string | null; created: boolean; secret: string | null }> {
    const existing = await this.oldestOfKind(stack.id, kind);
    // The deprecated mutations' inputs hold the settings themselves: errors name input.url, as they always did.
    const configuration = await this.configuration(kind, input, existing, 'input');
    const row =
      existing ??
      this.channels.create({ stackId: stack.id, kind, name: await this.nameFor(stack.id, null, kind, null) });
    this.apply(row, configuration);
    await refuseTakenName(row.name, () =>
      this.dataSource.transaction(async (manager) => {
        await manager.getRepository(StackChannel).save(row);
        if (!existing) await copyKindCells(manager, row);
      }),
    );
    return { row, warning: configuration.warning, created: !existing, secret: configuration.secret };
  }

  /** Checks a kind's settings (URLs through the target policy) and prepares what is stored. */
  private async configuration(
    kind: SharedChannelKind,
    input: ChannelInput,
    existing: StackChannel | null,
    field = `input.${INPUT_FIELD_OF_KIND[kind]}`,
  ): Promise<ChannelConfiguration> {
    switch (kind) {
      case ChannelKind.HIPCHAT: {
        const { token, room } = input.hipchat!;
        return {
          kind,
          settings: { room: room.trim() } satisfies HipchatSettings,
          secret: token,
          secretHint: `…${lastChars(token)}`,
          warning: null,
        };
      }
      case ChannelKind.SLACK: {
        const slack = input.slack!;
        const url = parseEndpointUrl(slack.url, `${field}.url`);
        const warning = await this.targets.assertAllowed(url, `${field}.url`);
        return {
          kind,
          settings: { channel: slack.channel ?? null, host: url.host } satisfies SlackSettings,
          secret: url.href,
          secretHint: urlHint(url),
          warning,
        };
      }
      case ChannelKind.WEBHOOK: {
        const url = parseEndpointUrl(input.webhook!.url, `${field}.url`);
        const warning = await this.targets.assertAllowed(url, `${field}.url`);
        // The signing secret is generated once and kept when only the URL changes.
        const secret = existing ? null : generateWebhookSecret();
        return {
          kind,
          settings: { url: url.href } satisfies WebhookSettings,
          secret,
          secretHint: secret ? webhookSecretHint(secret) : null,
          warning,
        };
      }
      case ChannelKind.TEAMS:
      case ChannelKind.DISCORD: {
        const chat = (kind === ChannelKind.TEAMS ? input.teams : input.discord)!;
        const url = parseEndpointUrl(chat.url, `${field}.url`);
        const warning = await this.targets.assertAllowed(url, `${field}.url`);
        return {
          kind,
          settings: { host: url.host } satisfies ChatWebhookSettings,
          secret: url.href,
          secretHint: urlHint(url),
          warning,
        };
      }
    }
  }

  /** Stores a configuration on a row; configuring a channel again enables it and ends its failing streak. */
  private apply(row: StackChannel, configuration: ChannelConfiguration): void {
    Object.assign(row, {
      settings: configuration.settings,
      enabled: true,
      disabledReason: null,
      failingSince: null,
      updatedAt: this.clock.now(),
    });
    if (configuration.secret !== null) {
      row.secret = this.secrets.encrypt(configuration.secret);
      row.secretHint = configuration.secretHint!;
    }
  }

  /**
   * A name for a channel of the stack: the one given, refused when another channel has it; or the kind's, numbered
   * ("Slack 2") when taken.
   */
  private async nameFor(
    stackId: string,
    given: string | null,
    kind: ChannelKind,
    selfId: string | null,
  ): Promise<string> {
    const taken = new Set(
      (await this.channels.find({ select: { id: true, name: true }, where: { stackId } }))
        .filter((row) => row.id !== selfId)
        .map((row) => row.name),
    );
    if (given !== null) {
      const name = given.trim();
      if (taken.has(name))
        throw new BadUserInputError(`another channel of this stack is named "${name}"`, 'input.name');
      return name;
    }
    const base = DEFAULT_CHANNEL_NAMES[kind];
    if (!taken.has(base)) return base;
    for (let n = 2; ; n += 1) if (!taken.has(`${base} ${n}`)) return `${base} ${n}`;
  }

  private async rotate(row: StackChannel): Promise<string> {
    const signingSecret = generateWebhookSecret();
    Object.assign(row, {
      previousSecret: this.secrets.reencrypt(row.secret),
      previousSecretUntil: new Date(this.clock.now().getTime() + WEBHOOK_SECRET_GRACE_MS),
      secret: this.secrets.encrypt(signingSecret),
      secretHint: webhookSecretHint(signingSecret),
      updatedAt: this.clock.now(),
    });
    await this.channels.save(row);
    return signingSecret;
  }

  /** Deletes a channel, its cells and its waiting deliveries' chances, in one transaction; how many were stopped. */
  private async removeRow(row: StackChannel): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const stopped = await stopWaitingDeliveries(manager, row.id, this.clock.now());
      await manager.getRepository(ChannelPreference).delete({ channelId: row.id });
      await manager.getRepository(StackChannel).delete({ id: row.id });
      return stopped;
    });
  }
}

/** Which input field carries each kind's settings. */
const INPUT_FIELD_BY_KIND: [SharedChannelKind, 'hipchat' | 'slack' | 'webhook' | 'teams' | 'discord'][] = [
  [ChannelKind.HIPCHAT, 'hipchat'],
  [ChannelKind.SLACK, 'slack'],
  [ChannelKind.WEBHOOK, 'webhook'],
  [ChannelKind.TEAMS, 'teams'],
  [ChannelKind.DISCORD, 'discord'],
];
const INPUT_FIELD_OF_KIND = Object.fromEntries(INPUT_FIELD_BY_KIND) as Record<
  SharedChannelKind,
  (typeof INPUT_FIELD_BY_KIND)[number][1]
>;
const INPUT_FIELDS = INPUT_FIELD_BY_KIND.map(([, field]) => field).join(', ');

/** Runs a write; a name another channel took meanwhile (two writes at once) is refused as a taken name. */
async function refuseTakenName<T>(name: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new BadUserInputError(`another channel of this stack is named "${name}"`, 'input.name');
  }
}

/** The kind whose settings the input gives, or null when it gives none or several. */
function kindOfInput(input: ChannelInput): SharedChannelKind | null {
  const given = INPUT_FIELD_BY_KIND.filter(([, field]) => input[field] != null);
  return given.length === 1 ? given[0][0] : null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function webhookSecretHint(secret: string): string {
  return `whsec_…${lastChars(secret)}`;
}
