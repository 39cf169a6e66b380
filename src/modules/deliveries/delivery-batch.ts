// The delivery worker's database side: claiming due deliveries and recording finished attempts, a batch at a time,
// in a few statements whatever the batch size. Both run inside a transaction the worker opens (one per batch), so
// they only ever use the transactional manager they are given.
import { In, type EntityManager } from 'typeorm';
import { hydrator } from '../../db/hydrate';
import { CompiledQuery, inJsonList } from '../../db/compiled-query';
import { insertRows } from '../../db/insert-rows';
import { IosDevice } from '../channels/ios-device.entity';
import { type ChannelSettings, StackChannel } from '../channels/stack-channel.entity';
import { WebPushSubscription } from '../channels/web-push-subscription.entity';
import { ChannelKind, type EventType, isSharedChannel } from '../events/event-types';
import { Notification } from '../events/notification.entity';
import {
  buildNotificationPayload,
  buildStoredPayload,
  type NotificationPayload,
} from '../events/notification-payload';
import { Stack } from '../stacks/stack.entity';
import { Delivery, DeliveryAttempt, DeliveryStatus } from './delivery.entity';
import type { SharedChannelRow } from './targets';

/** The columns of a claimed delivery that sending and recording it need. */
export interface ClaimedRow {
  id: string;
  notificationId: string;
  stackId: string;
  channel: ChannelKind;
  targetId: string;
  attemptCount: number;
  requestId: string | null;
}

export interface ClaimedDelivery {
  delivery: ClaimedRow;
  payload: NotificationPayload;
  /** For a shared channel's delivery: the channel, read with the claim; null when it is gone. */
  sharedChannel?: SharedChannelRow | null;
}

interface ClaimRaw {
  id: string;
  notificationId: string;
  stackId: string;
  channel: ChannelKind;
  targetId: string;
  attemptCount: number | string;
  requestId: string | null;
  eventType: EventType;
  data: unknown;
  occurredAt: unknown;
  createdAt: unknown;
  stackName: string;
  stackEnvironment: string;
  channelId: string | null;
  channelKind: ChannelKind | null;
  channelSettings: unknown;
  channelSecret: string | null;
  channelEnabled: unknown;
  channelPreviousSecret: string | null;
  channelPreviousSecretUntil: unknown;
}

/** Due deliveries with their notification, stack and shared channel, oldest first; the shape is the LIMIT. */
export const dueDeliveries = new CompiledQuery(['now'], (manager, limit: number) => {
  const due = manager
    .createQueryBuilder(Delivery, 'd')
    .select('d.id', 'id')
    .addSelect('d.notificationId', 'notificationId')
    .addSelect('d.stackId', 'stackId')
    .addSelect('d.channel', 'channel')
    .addSelect('d.targetId', 'targetId')
    .addSelect('d.attemptCount', 'attemptCount')
    .addSelect('d.requestId', 'requestId')
    .addSelect('n.eventType', 'eventType')
    .addSelect('n.data', 'data')
    .addSelect('n.occurredAt', 'occurredAt')
    .addSelect('n.createdAt', 'createdAt')
    .addSelect('s.name', 'stackName')
    .addSelect('s.environment', 'stackEnvironment')
    .addSelect('c.id', 'channelId')
    .addSelect('c.kind', 'channelKind')
    .addSelect('c.settings', 'channelSettings')
    .addSelect('c.secret', 'channelSecret')
    .addSelect('c.enabled', 'channelEnabled')
    .addSelect('c.previousSecret', 'channelPreviousSecret')
    .addSelect('c.previousSecretUntil', 'channelPreviousSecretUntil')
    .innerJoin(Notification, 'n', 'n.id = d.notificationId')
    .innerJoin(Stack, 's', 's.id = n.stackId')
    // The target of a shared channel's delivery; personal targets (users, devices) are read by loadTargets.
    .leftJoin(StackChannel, 'c', 'c.id = d.targetId')
    // A literal, not a parameter: it matches the partial index ix_deliveries_due (pending rows) in any query plan.
    .where(`d.status = '${DeliveryStatus.PENDING}'`)
    .andWhere('d.nextAttemptAt <= :now')
    .andWhere('(d.leaseUntil IS NULL OR d.leaseUntil < :now)')
    .orderBy('d.nextAttemptAt', 'ASC')
    .limit(limit);
  // Several processes share the outbox on PostgreSQL: rows another worker is claiming are skipped, not waited on.
  // Only the deliveries are locked, not the notifications and stacks joined to them.
  if (manager.connection.options.type === 'postgres') {
    due.setLock('pessimistic_write', undefined, ['d']).setOnLocked('skip_locked');
  }
  return due;
});

const leaseDeliveries = new CompiledQuery(['ids', 'leaseUntil', 'owner', 'now'], (manager) =>
  manager
    .createQueryBuilder()
    .update(Delivery)
    .set({ leaseUntil: () => ':leaseUntil', leaseOwner: () => ':owner', updatedAt: () => ':now' })
    .where(inJsonList(manager, 'id', 'ids')),
);

/** Closes the successful attempts of a batch, if `owner` still holds their leases. */
const closeSucceeded = new CompiledQuery(['ids', 'owner', 'updatedAt'], (manager) =>
  manager
    .createQueryBuilder()
    .update(Delivery)
    .set({
      status: DeliveryStatus.SUCCEEDED,
      // The lease holder's row is unchanged since it was claimed: its count plus this attempt.
      attemptCount: () => 'attempt_count + 1',
      nextAttemptAt: null,
      leaseUntil: null,
      leaseOwner: null,
      updatedAt: () => ':updatedAt',
    })
    .where(inJsonList(manager, 'id', 'ids'))
    .andWhere('lease_owner = :owner'),
);

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
  const { records } = await dueDeliveries.run(manager, { now }, limit);
  const rows = records as ClaimRaw[];
  if (rows.length === 0) return [];
  await leaseDeliveries.run(manager, {
    ids: JSON.stringify(rows.map((row) => row.id)),
    leaseUntil,
    owner,
    now,
  });
  const notification = hydrator(manager, Notification);
  const channel = hydrator(manager, StackChannel);
  // The deliveries of one notification (one per channel and recipient) are often claimed together: they share
  // its payload, built once (the transports only read it).
  const payloads = new Map<string, NotificationPayload>();
  const payloadOf = (row: ClaimRaw): NotificationPayload => {
    let payload = payloads.get(row.notificationId);
    if (!payload) {
      const fields = {
        id: row.notificationId,
        eventType: row.eventType,
        occurredAt: notification('occurredAt', row.occurredAt) as Date,
        createdAt: notification('createdAt', row.createdAt) as Date,
        stack: { id: row.stackId, name: row.stackName, environment: row.stackEnvironment },
      };
      // simple-json is text on both databases; anything else is hydrated as TypeORM would.
      payload =
        typeof row.data === 'string'
          ? buildStoredPayload(fields, row.data)
          : buildNotificationPayload({
              ...fields,
              data: notification('data', row.data) as Record<string, unknown>,
            });
      payloads.set(row.notificationId, payload);
    }
    return payload;
  };
  // A shared channel's row comes with each of its deliveries: it is converted once per batch.
  const sharedChannels = new Map<string, SharedChannelRow>();
  const sharedChannelOf = (row: ClaimRaw): SharedChannelRow | null => {
    if (row.channelId === null) return null;
    let shared = sharedChannels.get(row.channelId);
    if (!shared) {
      shared = {
        id: row.channelId,
        kind: row.channelKind!,
        settings: channel('settings', row.channelSettings) as ChannelSettings,
        secret: row.channelSecret!,
        enabled: channel('enabled', row.channelEnabled) as boolean,
        previousSecret: row.channelPreviousSecret,
        previousSecretUntil: channel('previousSecretUntil', row.channelPreviousSecretUntil) as Date | null,
      };
      sharedChannels.set(row.channelId, shared);
    }
    return shared;
  };
  return rows.map((row) => ({
    delivery: {
      id: row.id,
      notificationId: row.notificationId,
      stackId: row.stackId,
      channel: row.channel,
      targetId: row.targetId,
      attemptCount: Number(row.attemptCount),
      requestId: row.requestId,
    },
    payload: payloadOf(row),
    sharedChannel: isSharedChannel(row.channel) ? sharedChannelOf(row) : undefined,
  }));
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
): Promise<Set<string>> {
  const recorded = new Set<string>();
  const updatedAt = new Date();
  const closing = { leaseUntil: null, leaseOwner: null, updatedAt };
  const simple =
    mode === 'batch'
      ? records.filter((record) => record.status === DeliveryStatus.SUCCEEDED && !record.targetGone)
      : [];
  if (simple.length > 0) {
    const ids = simple.map((record) => record.deliveryId);
    const result = await closeSucceeded.run(manager, { ids: JSON.stringify(ids), owner, updatedAt });
    if (result.affected !== ids.length) throw new LeaseLostInBatch();
    for (const id of ids) recorded.add(id);
  }
  for (const record of records) {
    if (recorded.has(record.deliveryId)) continue;
    const result = await manager
      .createQueryBuilder()
      .update(Delivery)
      .set({
        status: record.status,
        attemptCount: record.attemptsMade,
        nextAttemptAt: record.nextAttemptAt,
        ...closing,
      })
      .where({ id: record.deliveryId, leaseOwner: owner })
      .execute();
    if (result.affected) recorded.add(record.deliveryId);
  }
  const logged = records.filter((record) => recorded.has(record.deliveryId));
  if (logged.length === 0) return recorded;
  await insertRows(
    manager,
    DeliveryAttempt,
    logged.map((record) => ({
      deliveryId: record.deliveryId,
      at: record.at,
      durationMs: record.durationMs,
      ok: record.ok,
      statusCode: record.statusCode,
      responseExcerpt: record.responseExcerpt,
      error: record.error,
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
