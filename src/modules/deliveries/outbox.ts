// The outbox rows of a notification, which outbox.repository.ts writes in the transaction of the notification.
import type {
  StackChannel,
  WebhookSettings,
  SlackSettings,
  HipchatSettings,
} from '../channels/stack-channel.entity';
import type { IosDevice } from '../channels/ios-device.entity';
import type { WebPushSubscription } from '../channels/web-push-subscription.entity';
import { ChannelKind } from '../events/event-types';
import type { Notification } from '../events/notification.entity';
import type { Audience } from '../preferences/audience';
import { Delivery, DeliveryStatus } from './delivery.entity';

/** Where a delivery goes, as the deliveries log and a channel test show it: never a secret. */
export function sharedLabel(channel: StackChannel): string {
  switch (channel.kind) {
    case ChannelKind.WEBHOOK:
      return new URL((channel.settings as WebhookSettings).url).host;
    case ChannelKind.SLACK:
      return (channel.settings as SlackSettings).channel ?? (channel.settings as SlackSettings).host;
    default:
      return `room ${(channel.settings as HipchatSettings).room}`;
  }
}

export function deviceLabel(device: Pick<IosDevice, 'tokenHint'>): string {
  return `iOS device ${device.tokenHint}`;
}

export function subscriptionLabel(subscription: Pick<WebPushSubscription, 'endpoint'>): string {
  return `Web Push ${new URL(subscription.endpoint).host}`;
}

/** The outbox rows of a notification for its audience, created at the notification's own time. */
export function deliveryRows(
  notification: Notification,
  audience: Audience,
  requestId: string | null,
): Delivery[] {
  const { recipients, usersById, devices, subscriptions } = audience;
  const now = notification.createdAt;
  const row = (channel: ChannelKind, targetId: string, targetLabel: string, userId: string | null = null) =>
    Object.assign(new Delivery(), {
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
  return [
    ...recipients.sharedChannels.map((channel) => row(channel.kind, channel.id, sharedLabel(channel))),
    ...recipients.users.EMAIL.map((userId) =>
      row(ChannelKind.EMAIL, userId, usersById.get(userId)!.email, userId),
    ),
    ...devices.map((device) => row(ChannelKind.IOS, device.id, deviceLabel(device), device.userId)),
    ...subscriptions.map((subscription) =>
      row(ChannelKind.BROWSER, subscription.id, subscriptionLabel(subscription), subscription.userId),
    ),
  ];
}
