// Where each channel's deliveries go, loaded from the database for the transports, which know no database.
import { In, type DataSource } from 'typeorm';
import type { SecretBox } from '../../lib/secret-box';
import type {
  ApnsTarget,
  EmailTarget,
  HipchatTarget,
  SlackTarget,
  Transport,
  WebhookTarget,
  WebPushTarget,
} from '../../transports';
import { User } from '../accounts/user.entity';
import { IosDevice } from '../channels/ios-device.entity';
import {
  type HipchatSettings,
  type SlackSettings,
  StackChannel,
  type WebhookSettings,
} from '../channels/stack-channel.entity';
import { WebPushSubscription } from '../channels/web-push-subscription.entity';
import { ChannelKind } from '../events/event-types';
import type { Delivery } from './delivery.entity';

export interface TargetByChannel {
  WEBHOOK: WebhookTarget;
  SLACK: SlackTarget;
  HIPCHAT: HipchatTarget;
  EMAIL: EmailTarget;
  IOS: ApnsTarget;
  BROWSER: WebPushTarget;
}

export type DeliveryTransports = { [K in ChannelKind]: Transport<TargetByChannel[K]> };

export type ResolvedTarget = { [K in ChannelKind]: { channel: K; target: TargetByChannel[K] } }[ChannelKind];

/** Channel secrets are stored encrypted (SecretBox): they are decrypted here, just before sending, and only here. */
export function webhookTarget(
  channel: StackChannel,
  secrets: SecretBox,
  now: Date = new Date(),
): WebhookTarget {
  const signingSecrets = [secrets.decrypt(channel.secret)];
  if (channel.previousSecret && channel.previousSecretUntil && channel.previousSecretUntil > now) {
    signingSecrets.push(secrets.decrypt(channel.previousSecret));
  }
  return { url: (channel.settings as WebhookSettings).url, secrets: signingSecrets };
}

/** Throws SecretDecryptionError when no configured key opens the channel's secret. */
export function sharedTarget(channel: StackChannel, secrets: SecretBox): ResolvedTarget {
  switch (channel.kind) {
    case ChannelKind.WEBHOOK:
      return { channel: ChannelKind.WEBHOOK, target: webhookTarget(channel, secrets) };
    case ChannelKind.SLACK:
      return {
        channel: ChannelKind.SLACK,
        target: {
          url: secrets.decrypt(channel.secret),
          channel: (channel.settings as SlackSettings).channel,
        },
      };
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

/**
 * Loads the targets of a batch of deliveries in one query per kind; a missing target maps to null. Throws
 * SecretDecryptionError when a shared channel's secret opens with no configured key.
 */
export async function loadTargets(
  dataSource: DataSource,
  deliveries: readonly Delivery[],
  publicUrl: string,
  secrets: SecretBox,
): Promise<Map<string, ResolvedTarget | null>> {
  const ids = (kinds: ChannelKind[]) =>
    deliveries.filter((delivery) => kinds.includes(delivery.channel)).map((delivery) => delivery.targetId);
  const sharedIds = ids([ChannelKind.WEBHOOK, ChannelKind.SLACK, ChannelKind.HIPCHAT]);
  const userIds = ids([ChannelKind.EMAIL]);
  const deviceIds = ids([ChannelKind.IOS]);
  const subscriptionIds = ids([ChannelKind.BROWSER]);
  const [channels, users, devices, subscriptions] = await Promise.all([
    sharedIds.length ? dataSource.getRepository(StackChannel).findBy({ id: In(sharedIds) }) : [],
    userIds.length ? dataSource.getRepository(User).findBy({ id: In(userIds) }) : [],
    deviceIds.length ? dataSource.getRepository(IosDevice).findBy({ id: In(deviceIds) }) : [],
    subscriptionIds.length
      ? dataSource.getRepository(WebPushSubscription).findBy({ id: In(subscriptionIds) })
      : [],
  ]);
  const byId = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
  const channelById = byId(channels);
  const userById = byId(users);
  const deviceById = byId(devices);
  const subscriptionById = byId(subscriptions);
  const result = new Map<string, ResolvedTarget | null>();
  for (const delivery of deliveries) {
    result.set(delivery.id, resolveOne(delivery));
  }
  return result;

  function resolveOne(delivery: Delivery): ResolvedTarget | null {
    switch (delivery.channel) {
      case ChannelKind.WEBHOOK:
      case ChannelKind.SLACK:
      case ChannelKind.HIPCHAT: {
        const channel = channelById.get(delivery.targetId);
        return channel && channel.enabled ? sharedTarget(channel, secrets) : null;
      }
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

/** Sends through the transport of the target's channel, keeping the channel and target types paired. */
export function sendTo(
  transports: DeliveryTransports,
  resolved: ResolvedTarget,
  payload: Parameters<Transport<unknown>['send']>[1],
) {
  const transport = transports[resolved.channel] as Transport<typeof resolved.target>;
  return transport.send(resolved.target, payload);
}
