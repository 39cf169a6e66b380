// Where each channel's deliveries go, loaded from the database for the transports, which know no database.
import { In, type EntityManager } from 'typeorm';
import { type SecretBox, SecretDecryptionError } from '../../lib/secret-box';
import type {
  ApnsTarget,
  DiscordTarget,
  EmailTarget,
  HipchatTarget,
  SlackTarget,
  TeamsTarget,
  Transport,
  WebhookTarget,
  WebPushTarget,
} from '../../transports';
import { stackLinks, type MessageLinks } from '../../transports/message-templates';
import { User } from '../accounts/user.entity';
import { IosDevice } from '../channels/ios-device.entity';
import {
  type HipchatSettings,
  type SlackSettings,
  StackChannel,
  type WebhookSettings,
} from '../channels/stack-channel.entity';
import { WebPushSubscription } from '../channels/web-push-subscription.entity';
import { ChannelKind, SHARED_CHANNELS } from '../events/event-types';
import { ALL_EVENT_TYPES } from '../templates/message-template.entity';
import {
  loadMessageTemplates,
  messageFormatOf,
  pickTemplate,
  templateChannelKey,
} from '../templates/delivery-templates';
import type { Delivery } from './delivery.entity';

export interface TargetByChannel {
  WEBHOOK: WebhookTarget;
  SLACK: SlackTarget;
  HIPCHAT: HipchatTarget;
  TEAMS: TeamsTarget;
  DISCORD: DiscordTarget;
  EMAIL: EmailTarget;
  IOS: ApnsTarget;
  BROWSER: WebPushTarget;
}

export type DeliveryTransports = { [K in ChannelKind]: Transport<TargetByChannel[K]> };

export type ResolvedTarget = { [K in ChannelKind]: { channel: K; target: TargetByChannel[K] } }[ChannelKind];

/** The columns of a shared channel that sending through it needs. */
export type SharedChannelRow = Pick<
  StackChannel,
  'id' | 'kind' | 'settings' | 'secret' | 'enabled' | 'previousSecret' | 'previousSecretUntil'
>;

/** Channel secrets are stored encrypted (SecretBox): they are decrypted here, just before sending, and only here. */
export function webhookTarget(
  channel: Pick<SharedChannelRow, 'settings' | 'secret' | 'previousSecret' | 'previousSecretUntil'>,
  secrets: SecretBox,
  now: Date,
): WebhookTarget {
  const signingSecrets = [secrets.decrypt(channel.secret)];
  if (channel.previousSecret && channel.previousSecretUntil && channel.previousSecretUntil > now) {
    signingSecrets.push(secrets.decrypt(channel.previousSecret));
  }
  return { url: (channel.settings as WebhookSettings).url, secrets: signingSecrets };
}

/** Throws SecretDecryptionError when no configured key opens the channel's secret. */
export function sharedTarget(
  channel: Omit<SharedChannelRow, 'id' | 'enabled'>,
  secrets: SecretBox,
  now: Date,
): ResolvedTarget {
  switch (channel.kind) {
    case ChannelKind.WEBHOOK:
      return { channel: ChannelKind.WEBHOOK, target: webhookTarget(channel, secrets, now) };
    case ChannelKind.SLACK:
      return {
        channel: ChannelKind.SLACK,
        target: {
          url: secrets.decrypt(channel.secret),
          channel: (channel.settings as SlackSettings).channel,
        },
      };
    case ChannelKind.TEAMS:
      return { channel: ChannelKind.TEAMS, target: { url: secrets.decrypt(channel.secret) } };
    case ChannelKind.DISCORD:
      return { channel: ChannelKind.DISCORD, target: { url: secrets.decrypt(channel.secret) } };
    default:
      return {
        channel: ChannelKind.HIPCHAT,
        target: { token: secrets.decrypt(channel.secret), room: (channel.settings as HipchatSettings).room },
      };
  }
}

export function settingsUrl(publicUrl: string, stackId: string): string {
  return `${publicUrl}/stacks/${stackId}/notifications`;
}

/** What a delivery of a batch goes to: its target, null when that is gone or disabled, or why its secret is unreadable. */
export type TargetLookup = ResolvedTarget | null | SecretDecryptionError;

/** The columns of a delivery that finding its target needs. */
export type DeliveryTargetRef = Pick<Delivery, 'id' | 'channel' | 'targetId' | 'stackId'>;

/**
 * Loads the targets of a batch of deliveries in one query per kind present in it; a missing or disabled target maps
 * to null, a shared channel whose secret opens with no configured key to its SecretDecryptionError. Each channel's
 * secrets are decrypted once per batch, however many of its deliveries the batch holds. `sharedChannels`: the shared
 * channels already read with the batch (null for one that is gone): they are not read again.
 */
export async function loadTargets(
  manager: Pick<EntityManager, 'getRepository'>,
  deliveries: readonly DeliveryTargetRef[],
  publicUrl: string,
  secrets: SecretBox,
  sharedChannels: ReadonlyMap<string, SharedChannelRow | null> | undefined,
  now: Date,
): Promise<Map<string, TargetLookup>> {
  const ids = (kinds: ChannelKind[]) => [
    ...new Set(
      deliveries.filter((delivery) => kinds.includes(delivery.channel)).map((delivery) => delivery.targetId),
    ),
  ];
  const sharedIds = ids([...SHARED_CHANNELS]).filter((id) => !sharedChannels?.has(id));
  const userIds = ids([ChannelKind.EMAIL]);
  const deviceIds = ids([ChannelKind.IOS]);
  const subscriptionIds = ids([ChannelKind.BROWSER]);
  // One after the other: inside a transaction a connection runs one query at a time.
  const channels: (SharedChannelRow | null)[] = [...(sharedChannels?.values() ?? [])];
  const loadedChannels = sharedIds.length
    ? await manager.getRepository(StackChannel).find({
        select: {
          id: true,
          kind: true,
          settings: true,
          secret: true,
          enabled: true,
          previousSecret: true,
          previousSecretUntil: true,
        },
        where: { id: In(sharedIds) },
      })
    : [];
  channels.push(...loadedChannels);
  const users = userIds.length
    ? await manager
        .getRepository(User)
        .find({ select: { id: true, email: true }, where: { id: In(userIds) } })
    : [];
  const devices = deviceIds.length
    ? await manager
        .getRepository(IosDevice)
        .find({ select: { id: true, token: true }, where: { id: In(deviceIds) } })
    : [];
  const subscriptions = subscriptionIds.length
    ? await manager.getRepository(WebPushSubscription).find({
        select: { id: true, endpoint: true, p256dh: true, auth: true },
        where: { id: In(subscriptionIds) },
      })
    : [];
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
  const channelTargets = new Map<string, TargetLookup>();
  for (const channel of channels) {
    if (!channel) continue;
    let lookup: TargetLookup = null;
    if (channel.enabled) {
      try {
        lookup = sharedTarget(channel, secrets, now);
      } catch (error) {
        if (!(error instanceof SecretDecryptionError)) throw error;
        lookup = error;
      }
    }
    channelTargets.set(channel.id, lookup);
  }
  const userById = byId(users);
  const deviceById = byId(devices);
  const subscriptionById = byId(subscriptions);
  const result = new Map<string, TargetLookup>();
  for (const delivery of deliveries) {
    result.set(delivery.id, resolveOne(delivery));
  }
  return result;

  function resolveOne(delivery: DeliveryTargetRef): TargetLookup {
    switch (delivery.channel) {
      case ChannelKind.WEBHOOK:
      case ChannelKind.SLACK:
      case ChannelKind.HIPCHAT:
      case ChannelKind.TEAMS:
      case ChannelKind.DISCORD:
        return channelTargets.get(delivery.targetId) ?? null;
      case ChannelKind.EMAIL: {
        const user = userById.get(delivery.targetId);
        return user
          ? {
              channel: ChannelKind.EMAIL,
              target: { to: [user.email], settingsUrl: settingsUrl(publicUrl, delivery.stackId) },
            }
          : null;
      }
      case ChannelKind.IOS: {
        const device = deviceById.get(delivery.targetId);
        return device ? { channel: ChannelKind.IOS, target: { deviceToken: device.token } } : null;
      }
      case ChannelKind.BROWSER: {
        const subscription = subscriptionById.get(delivery.targetId);
        return subscription
          ? {
              channel: ChannelKind.BROWSER,
              target: {
                endpoint: subscription.endpoint,
                p256dh: subscription.p256dh,
                auth: subscription.auth,
              },
            }
          : null;
      }
    }
  }
}

/** A claimed delivery as attachMessageTemplates needs it: its target ref, event type, and whether a summary. */
export interface TemplatedDelivery {
  delivery: DeliveryTargetRef;
  /** The wire key of the notification's event type. */
  eventType: string;
  /** A summary of held notifications of several event types: only a template for all event types applies. */
  summary: boolean;
}

/**
 * Gives each chat and email target of a batch its stack's template for the delivery's event type (or the one for
 * all event types) and the stack's links, from one read of the batch's stacks' templates. Returns new lookups.
 */
export async function attachMessageTemplates(
  manager: EntityManager,
  deliveries: readonly TemplatedDelivery[],
  lookups: ReadonlyMap<string, TargetLookup>,
  publicUrl: string,
): Promise<Map<string, TargetLookup>> {
  const result = new Map(lookups);
  const templated = deliveries.filter(({ delivery }) => {
    const lookup = lookups.get(delivery.id);
    return lookup && !(lookup instanceof SecretDecryptionError) && messageFormatOf(lookup.channel) !== null;
  });
  if (templated.length === 0) return result;
  const templates = await loadMessageTemplates(
    manager,
    templated.map(({ delivery }) => delivery.stackId),
  );
  const links = new Map<string, MessageLinks>();
  for (const { delivery, eventType, summary } of templated) {
    const lookup = lookups.get(delivery.id) as ResolvedTarget;
    const channelKey = templateChannelKey(
      lookup.channel === ChannelKind.EMAIL ? null : delivery.targetId,
      delivery.stackId,
    );
    const template = pickTemplate(templates, channelKey, summary ? ALL_EVENT_TYPES : eventType);
    let stackLinksOf = links.get(delivery.stackId);
    if (!stackLinksOf) links.set(delivery.stackId, (stackLinksOf = stackLinks(publicUrl, delivery.stackId)));
    result.set(delivery.id, {
      ...lookup,
      target: { ...lookup.target, template, links: stackLinksOf },
    } as ResolvedTarget);
  }
  return result;
}

/** Sends through the transport of the target's channel, keeping the channel and target types paired. */
export function sendTo(
  transports: DeliveryTransports,
  resolved: ResolvedTarget,
  payload: Parameters<Transport<unknown>['send']>[1],
) {
  const transport = transports[resolved.channel] as Transport<typeof resolved.target>;
  return transport.send(resolved.target, payload);
}
