// The outbox rows of a notification, which outbox.repository.ts writes in the transaction of the notification.
import type {
  ChatWebhookSettings,
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
import { v7 } from 'uuid';
import { Delivery, DeliveryStatus, HeldReason } from './delivery.entity';

/** Where a delivery goes, as the deliveries log and a channel test show it: never a secret. */
export function sharedLabel(channel: StackChannel): string {
  switch (channel.kind) {
    case ChannelKind.WEBHOOK:
      return new URL((channel.settings as WebhookSettings).url).host;
    case ChannelKind.SLACK:
      return (channel.settings as SlackSettings).channel ?? (channel.settings as SlackSettings).host;
    case ChannelKind.TEAMS:
      return `Teams ${(channel.settings as ChatWebhookSettings).host}`;
    case ChannelKind.DISCORD:
      return `Discord ${(channel.settings as ChatWebhookSettings).host}`;
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

/**
 * A delivery held until `until` (the end of a window), and the group whose one summary it goes out in. Deliveries of
 * one recipient channel held for the same reason until the same time share a group; `group` splits them further
 * (e.g. one group per incident), or is empty.
 */
export interface HoldDecision {
  reason: HeldReason;
  until: Date;
  group: string;
}

export function holdUntil(reason: HeldReason, until: Date, group = ''): HoldDecision {
  return { reason, until, group };
}

/** A delivery about to be written, as the rules that may hold it see it. */
export interface PlannedDelivery {
  channel: ChannelKind;
  /** The shared channel, user, iOS device or Web Push subscription. */
  targetId: string;
  /** The person a personal delivery is for; null for shared channels. */
  userId: string | null;
}

/** Decides, from settings already in memory, whether a delivery waits; null sends it at once. */
export type HoldPlanner = (delivery: PlannedDelivery) => HoldDecision | null;

/** The group key of a held delivery: one summary per (reason, recipient channel, window end, group). */
export function holdGroupKey(stackId: string, delivery: PlannedDelivery, decision: HoldDecision): string {
  const key = `${decision.reason}:${stackId}:${delivery.channel}:${delivery.targetId}:${decision.until.getTime()}`;
  return (decision.group ? `${key}:${decision.group}` : key).slice(0, 200);
}

/** The outbox rows of a notification for its audience, created at the notification's own time. */
export function deliveryRows(
  notification: Notification,
  audience: Audience,
  requestId: string | null,
  plan: HoldPlanner | null = null,
): Delivery[] {
  const { recipients, usersById, devices, subscriptions } = audience;
  const now = notification.createdAt;
  const row = (channel: ChannelKind, targetId: string, targetLabel: string, userId: string | null = null) => {
    const delivery = Object.assign(new Delivery(), {
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
    const hold = plan?.({ channel, targetId, userId });
    if (hold) {
      delivery.status = DeliveryStatus.HELD;
      delivery.nextAttemptAt = hold.until;
      delivery.heldReason = hold.reason;
      delivery.holdGroup = holdGroupKey(notification.stackId, { channel, targetId, userId }, hold);
    }
    return delivery;
  };
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

/**
 * One summary row per group among `held` (rows deliveryRows held): a PENDING delivery due when the window ends,
 * whose `summaryKey` keeps the group open. Written with an upsert, so a group that has one already keeps it.
 */
export function summaryRows(held: readonly Delivery[]): Delivery[] {
  const byGroup = new Map<string, Delivery>();
  for (const row of held) {
    if (row.holdGroup === null || byGroup.has(row.holdGroup)) continue;
    byGroup.set(
      row.holdGroup,
      Object.assign(new Delivery(), {
        id: v7(),
        notificationId: row.notificationId,
        stackId: row.stackId,
        channel: row.channel,
        targetId: row.targetId,
        userId: row.userId,
        targetLabel: row.targetLabel,
        status: DeliveryStatus.PENDING,
        nextAttemptAt: row.nextAttemptAt,
        requestId: row.requestId,
        heldReason: row.heldReason,
        holdGroup: row.holdGroup,
        summaryKey: row.holdGroup,
        summaryCount: 0,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      }),
    );
  }
  return [...byGroup.values()];
}

const SETTLE_GROUP_PREFIX = 'FLAPPING-SETTLED:';

/** The hold group of a flapping subject's "settled" rows (one per recipient channel, each with its own key). */
export function settleGroupKey(stackId: string, subjectKey: string): string {
  return `${SETTLE_GROUP_PREFIX}${stackId}:${subjectKey}`;
}

/** Whether a summary row's group is a flapping subject's "settled" message rather than a summary of held rows. */
export function isSettleGroup(group: string): boolean {
  return group.startsWith(SETTLE_GROUP_PREFIX);
}

/**
 * The "settled" rows of a flapping subject for the recipient channels of `held` (rows held FLAPPING by a
 * transition): PENDING, due when the subject settles, carrying the transition (the state it settles in). Written
 * with an upsert that moves a recipient's open row instead (outbox.repository.ts upsertSettleRows).
 */
export function settleRows(
  held: readonly Delivery[],
  settle: { stackId: string; subjectKey: string; settlesAt: Date },
): Delivery[] {
  const group = settleGroupKey(settle.stackId, settle.subjectKey);
  return held
    .filter((row) => row.status === DeliveryStatus.HELD && row.heldReason === HeldReason.FLAPPING)
    .map((row) =>
      Object.assign(new Delivery(), {
        id: v7(),
        notificationId: row.notificationId,
        stackId: row.stackId,
        channel: row.channel,
        targetId: row.targetId,
        userId: row.userId,
        targetLabel: row.targetLabel,
        status: DeliveryStatus.PENDING,
        nextAttemptAt: settle.settlesAt,
        requestId: row.requestId,
        heldReason: HeldReason.FLAPPING,
        holdGroup: group,
        summaryKey: `${group}:${row.channel}:${row.targetId}`,
        summaryCount: 0,
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
      }),
    );
}
