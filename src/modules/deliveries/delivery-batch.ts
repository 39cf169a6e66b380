// The delivery worker's database side: claiming due deliveries and recording finished attempts, a batch at a time,
// in a few statements whatever the batch size. Both run inside a transaction the worker opens (one per batch), so
// they only ever use the transactional manager they are given.
import { In, type EntityManager } from 'typeorm';
import { IosDevice } from '../channels/ios-device.entity';
import { WebPushSubscription } from '../channels/web-push-subscription.entity';
import { ChannelKind, isSharedChannel } from '../events/event-types';
import { buildStoredPayload, type NotificationPayload } from '../events/notification-payload';
import { DeliveryStatus, HeldReason } from './delivery.entity';
import { flappingSummaryPayload, settledPayload } from './flapping-summary';
import { isSettleGroup } from './outbox';
import {
  closeAttempt,
  closeEmptySummary,
  closeSettleRow,
  closeSucceeded,
  dueDeliveries,
  flappingCounts,
  gatherSummary,
  insertAttempts,
  leaseDeliveries,
  type ClaimedRow,
} from './outbox.repository';
import { SUMMARY_LISTED, summaryPayload } from './summary';
import type { PersonalTargetRow, SharedChannelRow } from './targets';

export interface ClaimedDelivery {
  delivery: ClaimedRow;
  payload: NotificationPayload;
  /** For a shared channel's delivery: the channel, read with the claim; null when it is gone. */
  sharedChannel?: SharedChannelRow | null;
  /** For a personal delivery: its address, device or subscription, read with the claim; null when it is gone. */
  personalTarget?: PersonalTargetRow | null;
}

/**
 * Leases up to `limit` due deliveries to `owner` until `leaseUntil` and returns them with their notification, its
 * stack and (for shared channels) the channel, read in the same query. On PostgreSQL the due rows are locked with
 * FOR UPDATE SKIP LOCKED, so workers of several processes never claim the same row.
 */
export async function claimDue(
  manager: EntityManager,
  options: { owner: string; limit: number; now: Date; leaseUntil: Date },
): Promise<ClaimedDelivery[]> {
  const { owner, limit, now, leaseUntil } = options;
  const due = await dueDeliveries(manager, now, limit);
  if (due.length === 0) return [];
  await leaseDeliveries(
    manager,
    due.map((row) => row.id),
    { owner, until: leaseUntil, now },
  );
  // The deliveries of one notification (one per channel and recipient) are often claimed together: they share
  // its payload, built once (the transports only read it).
  const payloads = new Map<string, NotificationPayload>();
  const claimed: ClaimedDelivery[] = [];
  for (const row of due) {
    let payload = payloads.get(row.notificationId);
    if (row.summary && isSettleGroup(row.summary.group)) {
      await closeSettleRow(manager, row.id);
      payload = settledPayload({ id: row.id, notification: row.notification }, now);
    } else if (row.summary) {
      const content = await gatherSummary(
        manager,
        { id: row.id, group: row.summary.group },
        now,
        SUMMARY_LISTED,
      );
      if (content.count === 0) {
        await closeEmptySummary(manager, row.id, now);
        continue;
      }
      payload =
        row.summary.reason === HeldReason.FLAPPING
          ? flappingSummaryPayload(
              { id: row.id, notification: row.notification },
              content,
              await flappingCounts(manager, { id: row.id, group: row.summary.group }),
              now,
            )
          : summaryPayload(
              { id: row.id, reason: row.summary.reason, createdAt: row.notification.createdAt },
              content,
              row.notification.stack,
              now,
            );
    } else if (!payload) {
      const { data, ...fields } = row.notification;
      payload = buildStoredPayload(fields, data);
      payloads.set(row.notificationId, payload);
    }
    claimed.push({
      delivery: {
        id: row.id,
        notificationId: row.notificationId,
        stackId: row.stackId,
        channel: row.channel,
        targetId: row.targetId,
        attemptCount: row.attemptCount,
        requestId: row.requestId,
        summary: row.summary,
      },
      payload,
      sharedChannel: isSharedChannel(row.channel) ? row.sharedChannel : undefined,
      personalTarget: isSharedChannel(row.channel) ? undefined : row.personalTarget,
    });
  }
  return claimed;
}

/** One finished attempt and what it leaves the delivery in. */
export interface AttemptRecord {
  deliveryId: string;
  channel: ChannelKind;
  targetId: string;
  status: DeliveryStatus;
  attemptsMade: number;
  nextAttemptAt: Date | null;
  at: Date;
  durationMs: number;
  ok: boolean;
  statusCode: number | null;
  responseExcerpt: string | null;
  error: string | null;
  /** What was sent and what came back, as JSON text (see DeliveryAttempt). */
  requestSent: string | null;
  responseReceived: string | null;
  /** The iOS device or Web Push subscription is gone: remove it. */
  targetGone: boolean;
}

/**
 * Thrown (and so rolling the transaction back) when a batch update of successes matched fewer rows than it named:
 * some lease was lost meanwhile. The caller records the batch again row by row, which tells which.
 */
export class LeaseLostInBatch extends Error {
  constructor() {
    super('a lease of the batch was lost; recording row by row');
  }
}

/**
 * Records finished attempts of deliveries leased to `owner`; returns the ids recorded. Only the lease holder
 * records: a delivery whose lease was lost (it expired and another worker took the row, or it was redelivered) is
 * left to its new owner and its attempt is not logged.
 *
 * `batch`: the successes (the common case) are closed by one UPDATE ... WHERE id IN (...), and every attempt is
 * logged by one multi-row INSERT; if that UPDATE misses a row, LeaseLostInBatch is thrown. `each`: one UPDATE per
 * delivery, as the lease check of each row tells.
 */
export async function recordAttempts(
  manager: EntityManager,
  owner: string,
  records: readonly AttemptRecord[],
  mode: 'batch' | 'each',
  updatedAt: Date,
): Promise<Set<string>> {
  const recorded = new Set<string>();
  const simple =
    mode === 'batch'
      ? records.filter((record) => record.status === DeliveryStatus.SUCCEEDED && !record.targetGone)
      : [];
  if (simple.length > 0) {
    const ids = simple.map((record) => record.deliveryId);
    if ((await closeSucceeded(manager, ids, owner, updatedAt)) !== ids.length) throw new LeaseLostInBatch();
    for (const id of ids) recorded.add(id);
  }
  for (const record of records) {
    if (recorded.has(record.deliveryId)) continue;
    const closed = await closeAttempt(manager, {
      id: record.deliveryId,
      owner,
      status: record.status,
      attemptCount: record.attemptsMade,
      nextAttemptAt: record.nextAttemptAt,
      updatedAt,
    });
    if (closed) recorded.add(record.deliveryId);
  }
  const logged = records.filter((record) => recorded.has(record.deliveryId));
  if (logged.length === 0) return recorded;
  await insertAttempts(
    manager,
    logged.map((record) => ({
      deliveryId: record.deliveryId,
      at: record.at,
      durationMs: record.durationMs,
      ok: record.ok,
      statusCode: record.statusCode,
      responseExcerpt: record.responseExcerpt,
      error: record.error,
      requestSent: record.requestSent,
      responseReceived: record.responseReceived,
    })),
  );
  const gone = (channel: ChannelKind) =>
    logged
      .filter((record) => record.targetGone && record.channel === channel)
      .map((record) => record.targetId);
  // APNs and push services answer "gone" for a device token or an endpoint, not for one user's registration of it:
  // every user's row with that token (endpoint) is removed, as none of them can be delivered to any more.
  const goneDevices = gone(ChannelKind.IOS);
  if (goneDevices.length > 0) {
    const rows = await manager.find(IosDevice, { select: { token: true }, where: { id: In(goneDevices) } });
    if (rows.length > 0) await manager.delete(IosDevice, { token: In(rows.map((row) => row.token)) });
  }
  const goneSubscriptions = gone(ChannelKind.BROWSER);
  if (goneSubscriptions.length > 0) {
    const rows = await manager.find(WebPushSubscription, {
      select: { endpoint: true },
      where: { id: In(goneSubscriptions) },
    });
    if (rows.length > 0) {
      await manager.delete(WebPushSubscription, { endpoint: In(rows.map((row) => row.endpoint)) });
    }
  }
  return recorded;
}
