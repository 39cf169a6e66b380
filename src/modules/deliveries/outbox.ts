// Writes the outbox rows of a notification, inside the transaction that writes the notification.
import { In, type EntityManager } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { IosDevice } from '../channels/ios-device.entity';
import type {
  StackChannel,
  WebhookSettings,
  SlackSettings,
  HipchatSettings,
} from '../channels/stack-channel.entity';
import { WebPushSubscription } from '../channels/web-push-subscription.entity';
import { ChannelKind } from '../events/event-types';
import type { Notification } from '../events/notification.entity';
import type { Recipients } from '../preferences/recipients';
import { Delivery, DeliveryStatus } from './delivery.entity';

/** Inserts are chunked to stay under SQLite's bound-parameter limit on large accounts. */
const INSERT_CHUNK = 200;

function sharedLabel(channel: StackChannel): string {
  switch (channel.kind) {
    case ChannelKind.WEBHOOK:
      return new URL((channel.settings as WebhookSettings).url).host;
    case ChannelKind.SLACK:
      return (channel.settings as SlackSettings).channel ?? (channel.settings as SlackSettings).host;
    default:
      return `room ${(channel.settings as HipchatSettings).room}`;
  }
}

/** The iOS devices and Web Push subscriptions of the users whose IOS and BROWSER cells are on. */
export interface PersonalTargets {
  devices: IosDevice[];
  subscriptions: WebPushSubscription[];
}

export async function findPersonalTargets(
  manager: EntityManager,
  recipients: Recipients<StackChannel>,
): Promise<PersonalTargets> {
  const [devices, subscriptions] = await Promise.all([
    recipients.users.IOS.length ? manager.findBy(IosDevice, { userId: In(recipients.users.IOS) }) : [],
    recipients.users.BROWSER.length
      ? manager.findBy(WebPushSubscription, { userId: In(recipients.users.BROWSER) })
      : [],
  ]);
  return { devices, subscriptions };
}

/** `targets` may be looked up before the transaction (findPersonalTargets), so the transaction only writes. */
export async function enqueueDeliveries(
  manager: EntityManager,
  notification: Notification,
  recipients: Recipients<StackChannel> & { usersById: Map<string, User> },
  requestId: string | null,
  targets?: PersonalTargets,
): Promise<Delivery[]> {
  const { devices, subscriptions } = targets ?? (await findPersonalTargets(manager, recipients));
  const now = notification.createdAt;
  const row = (channel: ChannelKind, targetId: string, targetLabel: string, userId: string | null = null) =>
    manager.create(Delivery, {
      notificationId: notification.id,
      stackId: notification.stackId,
      channel,
      targetId,
      userId,
      targetLabel: targetLabel.slice(0, 300),
      status: DeliveryStatus.PENDING,
      nextAttemptAt: now,
      requestId,
      createdAt: now,
      updatedAt: now,
    });
  const rows = [
    ...recipients.sharedChannels.map((channel) => row(channel.kind, channel.id, sharedLabel(channel))),
    ...recipients.users.EMAIL.map((userId) =>
      row(ChannelKind.EMAIL, userId, recipients.usersById.get(userId)!.email, userId),
    ),
    ...devices.map((device) =>
      row(ChannelKind.IOS, device.id, `iOS device ${device.tokenHint}`, device.userId),
    ),
    ...subscriptions.map((subscription) =>
      row(
        ChannelKind.BROWSER,
        subscription.id,
        `Web Push ${new URL(subscription.endpoint).host}`,
        subscription.userId,
      ),
    ),
  ];
  for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
    await manager.insert(Delivery, rows.slice(start, start + INSERT_CHUNK));
  }
  return rows;
}
