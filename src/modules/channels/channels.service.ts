// Channel configuration: shared channels per stack (OWNER/ADMIN), personal devices and subscriptions per user.
import { type Clock, systemClock } from '../../lib/clock';
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
  isPersonalChannel,
  isSharedChannel,
  type PersonalChannelKind,
} from '../events/event-types';
import { Stack } from '../stacks/stack.entity';
import { Role, User } from '../accounts/user.entity';
import {
  BrowserChannel,
  type Channel,
  ChannelScope,
  EmailChannel,
  HipchatChannel,
  IosChannel,
  SlackChannel,
  WebhookChannel,
} from './channel.types';
import { type ChannelView, channelViews, hasIosDevice } from './channels.repository';
import { IosDevice } from './ios-device.entity';
import {
  type HipchatSettings,
  type SlackSettings,
  StackChannel,
  type WebhookSettings,
} from './stack-channel.entity';
import { WebPushSubscription } from './web-push-subscription.entity';

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
    kind,
    scope: ChannelScope.PERSONAL,
    configured,
    enabled: true,
    disabledReason: null,
  });
}

/** What the API shows of a shared channel (toHipchat, toSlack, toWebhook). */
type SharedChannelView = Pick<StackChannel, 'enabled' | 'disabledReason' | 'settings' | 'secretHint'>;

function toSharedChannelView(row: ChannelView): SharedChannelView {
  return {
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    settings: row.settings,
    secretHint: row.secretHint ?? '',
  };
}

function emailChannel(viewer: Viewer): EmailChannel {
  return Object.assign(new EmailChannel(), {
    id: personalChannelId('EmailChannel', viewer.user.id),
    kind: ChannelKind.EMAIL,
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

  sharedChannels(stackId: string): Promise<StackChannel[]> {
    return this.channels.findBy({ stackId });
  }

  /**
   * All six channels of a stack as the viewer sees them: the stack's shared ones and the viewer's own, from one
   * query. The viewer's iOS devices and Web Push subscriptions are read only if asked for (devicesOf,
   * webPushSubscriptionsOf): the channel list itself only needs to know whether a device exists.
   */
  async listForViewer(viewer: Viewer, stack: Stack): Promise<Channel[]> {
    const [rows, hasDevice] = await Promise.all([
      channelViews(this.dataSource.manager, stack.id),
      hasIosDevice(this.dataSource.manager, viewer.user.id),
    ]);
    const byKind = new Map<ChannelKind, SharedChannelView>();
    for (const row of rows) byKind.set(row.kind, toSharedChannelView(row));
    // Filled from literals: Object.assign with an object spread followed by more properties costs microseconds.
    const userId = viewer.user.id;
    return [
      personalChannel(new BrowserChannel(), ChannelKind.BROWSER, true, userId),
      emailChannel(viewer),
      this.toHipchat(stack.id, byKind.get(ChannelKind.HIPCHAT)),
      personalChannel(new IosChannel(), ChannelKind.IOS, hasDevice, userId),
      this.toSlack(stack.id, byKind.get(ChannelKind.SLACK)),
      // A webhook URL can carry a secret in its query string: only callers who may change it see it whole.
      this.toWebhook(stack.id, byKind.get(ChannelKind.WEBHOOK), canAdminister(viewer)),
    ];
  }

  /** One channel of a stack as the viewer sees it (what listForViewer lists for `kind`). */
  async channelForViewer(viewer: Viewer, stack: Stack, kind: ChannelKind): Promise<Channel> {
    if (isPersonalChannel(kind)) return this.personalChannelForViewer(viewer, kind);
    const row: ChannelView | null = await this.channels.findOne({
      select: { kind: true, enabled: true, disabledReason: true, settings: true, secretHint: true },
      where: { stackId: stack.id, kind },
    });
    const view = row ? toSharedChannelView(row) : undefined;
    if (kind === ChannelKind.HIPCHAT) return this.toHipchat(stack.id, view);
    if (kind === ChannelKind.SLACK) return this.toSlack(stack.id, view);
    return this.toWebhook(stack.id, view, canAdminister(viewer));
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
        const hasDevice = await this.devices.exists({ where: { userId: viewer.user.id } });
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

  async configureHipchat(
    viewer: Viewer,
    stack: Stack,
    input: { token: string; room: string },
  ): Promise<HipchatChannel> {
    requireAdmin(viewer, 'configure shared channels');
    const settings: HipchatSettings = { room: input.room.trim() };
    const row = await this.save(
      stack,
      ChannelKind.HIPCHAT,
      settings,
      input.token,
      `…${lastChars(input.token)}`,
    );
    return this.toHipchat(stack.id, row);
  }

  async configureSlack(
    viewer: Viewer,
    stack: Stack,
    input: { url: string; channel?: string | null },
  ): Promise<SlackChannel> {
    requireAdmin(viewer, 'configure shared channels');
    const url = parseEndpointUrl(input.url, 'input.url');
    const warning = await this.targets.assertAllowed(url, 'input.url');
    const settings: SlackSettings = { channel: input.channel ?? null, host: url.host };
    const row = await this.save(stack, ChannelKind.SLACK, settings, url.href, urlHint(url));
    return Object.assign(this.toSlack(stack.id, row), { warning });
  }

  /** Sets the endpoint; a signing secret is generated the first time and kept when only the URL changes. */
  async configureWebhook(
    viewer: Viewer,
    stack: Stack,
    input: { url: string },
  ): Promise<{ channel: WebhookChannel; signingSecret: string | null; warning: string | null }> {
    requireAdmin(viewer, 'configure shared channels');
    const url = parseEndpointUrl(input.url, 'input.url');
    const warning = await this.targets.assertAllowed(url, 'input.url');
    const existing = await this.channels.findOneBy({ stackId: stack.id, kind: ChannelKind.WEBHOOK });
    const signingSecret = existing ? null : generateWebhookSecret();
    const secret = existing ? this.secrets.decrypt(existing.secret) : signingSecret!;
    const settings: WebhookSettings = { url: url.href };
    const row = await this.save(stack, ChannelKind.WEBHOOK, settings, secret, webhookSecretHint(secret));
    return { channel: this.toWebhook(stack.id, row, canAdminister(viewer)), signingSecret, warning };
  }

  /** A new signing secret, returned once; the old one is still signed with for WEBHOOK_SECRET_GRACE_MS. */
  async rotateWebhookSecret(
    viewer: Viewer,
    stack: Stack,
  ): Promise<{ channel: WebhookChannel; signingSecret: string }> {
    requireAdmin(viewer, 'rotate webhook secrets');
    const row = await this.channels.findOneBy({ stackId: stack.id, kind: ChannelKind.WEBHOOK });
    if (!row) throw new NotFoundError('WEBHOOK channel');
    const signingSecret = generateWebhookSecret();
    Object.assign(row, {
      previousSecret: this.secrets.reencrypt(row.secret),
      previousSecretUntil: new Date(this.clock.now().getTime() + WEBHOOK_SECRET_GRACE_MS),
      secret: this.secrets.encrypt(signingSecret),
      secretHint: webhookSecretHint(signingSecret),
      updatedAt: this.clock.now(),
    });
    await this.channels.save(row);
    return { channel: this.toWebhook(stack.id, row, canAdminister(viewer)), signingSecret };
  }

  async removeChannel(viewer: Viewer, stack: Stack, kind: ChannelKind): Promise<Channel> {
    if (!isSharedChannel(kind)) {
      throw new BadUserInputError(
        'personal channels are not removed: turn their cells off, or unregister devices and subscriptions',
        'kind',
      );
    }
    requireAdmin(viewer, 'remove shared channels');
    const row = await this.channels.findOneBy({ stackId: stack.id, kind });
    if (!row) throw new NotFoundError(`${kind} channel`);
    await this.channels.delete({ id: row.id });
    switch (kind) {
      case ChannelKind.HIPCHAT:
        return this.toHipchat(stack.id, undefined);
      case ChannelKind.SLACK:
        return this.toSlack(stack.id, undefined);
      default:
        return this.toWebhook(stack.id, undefined, canAdminister(viewer));
    }
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
      `The ${channel.kind} channel of stack "${stack.name}" (${stack.environment}) was disabled.\n\n${reason}\n`,
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

  private async save(
    stack: Stack,
    kind: ChannelKind,
    settings: StackChannel['settings'],
    secret: string,
    secretHint: string,
  ): Promise<StackChannel> {
    const existing = await this.channels.findOneBy({ stackId: stack.id, kind });
    const row = existing ?? this.channels.create({ stackId: stack.id, kind });
    Object.assign(row, {
      settings,
      secret: this.secrets.encrypt(secret),
      secretHint,
      enabled: true,
      disabledReason: null,
      failingSince: null,
      updatedAt: this.clock.now(),
    });
    await this.channels.save(row);
    return row;
  }

  private toHipchat(stackId: string, row: SharedChannelView | undefined): HipchatChannel {
    return Object.assign(new HipchatChannel(), {
      id: sharedChannelId('HipchatChannel', stackId),
      kind: ChannelKind.HIPCHAT,
      scope: ChannelScope.SHARED,
      configured: row !== undefined,
      enabled: row ? row.enabled : false,
      disabledReason: row?.disabledReason ?? null,
      room: row ? (row.settings as HipchatSettings).room : null,
      tokenHint: row?.secretHint ?? null,
    });
  }

  private toSlack(stackId: string, row: SharedChannelView | undefined): SlackChannel {
    return Object.assign(new SlackChannel(), {
      id: sharedChannelId('SlackChannel', stackId),
      kind: ChannelKind.SLACK,
      scope: ChannelScope.SHARED,
      configured: row !== undefined,
      enabled: row ? row.enabled : false,
      disabledReason: row?.disabledReason ?? null,
      channelName: row ? (row.settings as SlackSettings).channel : null,
      urlHint: row?.secretHint ?? null,
    });
  }

  /** `fullUrl`: whether the viewer may see the URL itself, or only its hint. */
  private toWebhook(stackId: string, row: SharedChannelView | undefined, fullUrl: boolean): WebhookChannel {
    const url = row ? (row.settings as WebhookSettings).url : null;
    return Object.assign(new WebhookChannel(), {
      id: sharedChannelId('WebhookChannel', stackId),
      kind: ChannelKind.WEBHOOK,
      scope: ChannelScope.SHARED,
      configured: row !== undefined,
      enabled: row ? row.enabled : false,
      disabledReason: row?.disabledReason ?? null,
      url: fullUrl ? url : null,
      urlHint: url === null ? null : urlHint(new URL(url)),
      secretHint: row?.secretHint ?? null,
    });
  }
}

export function webhookSecretHint(secret: string): string {
  return `whsec_…${lastChars(secret)}`;
}
