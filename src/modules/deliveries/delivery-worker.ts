// Claims due outbox rows under a lease, sends each through its channel's transport, and records the attempt.
// At-least-once: a row whose worker died is claimed again once its lease has expired.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { DeliveryConfig } from '../../config';
import type { Logger } from '../../lib/logger';
import { SecretDecryptionError } from '../../lib/secret-box';
import type { Metrics } from '../../lib/metrics';
import type { DeliveryOutcome } from '../../transports/transport';
import type { ChannelsService } from '../channels/channels.service';
import { IosDevice } from '../channels/ios-device.entity';
import { WebPushSubscription } from '../channels/web-push-subscription.entity';
import { ChannelKind, isSharedChannel } from '../events/event-types';
import { Notification } from '../events/notification.entity';
import { buildNotificationPayload, type NotificationPayload } from '../events/notification-payload';
import { Stack } from '../stacks/stack.entity';
import { Delivery, DeliveryAttempt, DeliveryStatus } from './delivery.entity';
import { RetryPolicy } from './retry-policy';
import { type DeliveryTransports, loadTargets, type ResolvedTarget, sendTo } from './targets';

export interface DeliveryWorkerOptions {
  dataSource: DataSource;
  metrics: Metrics;
  transports: DeliveryTransports;
  channels: ChannelsService;
  config: DeliveryConfig;
  publicUrl: string;
  log: Logger;
}

export interface ClaimedDelivery {
  delivery: Delivery;
  payload: NotificationPayload;
}

const ERROR_TEXT_LIMIT = 2000;
/** How long free slots wait for more to free up before they are claimed anyway. */
const CLAIM_BATCH_WAIT_MS = 20;
/** How long a channel this worker saw succeed counts as healthy without recording each success on it. */
const HEALTH_RECHECK_MS = 10_000;

function failedBeforeSending(retryable: boolean, error: string): DeliveryOutcome {
  return { ok: false, retryable, statusCode: null, responseExcerpt: null, error, durationMs: 0 };
}

export class DeliveryWorker {
  readonly id = `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly policy: RetryPolicy;
  private readonly inFlight = new Map<string, Promise<void>>();
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private wakeRequested = false;
  /** Free slots were left unclaimed to gather a batch; the next turn claims them whatever their number. */
  private claimDeferred = false;
  /** Attempts waiting for the next batched record transaction (see recordInBatch). */
  private readonly pendingWrites: {
    write: (manager: EntityManager) => Promise<boolean>;
    resolve: (recorded: boolean) => void;
    reject: (error: unknown) => void;
  }[] = [];
  private flushingWrites = false;
  /** Shared channels whose failing streak this worker cleared, and when (see recentlyCleared). */
  private readonly healthyChannels = new Map<string, number>();

  constructor(private readonly options: DeliveryWorkerOptions) {
    this.policy = new RetryPolicy(options.config.retrySchedule);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Asks an idle worker to look for due deliveries now. */
  wake(): void {
    this.wakeRequested = true;
    this.wakeUp?.();
  }

  /**
   * Stops claiming, waits up to `graceMs` for deliveries in flight, then hands the leases of any still running
   * back, so another worker takes them at once instead of after the lease.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake();
    await this.loop;
    const pending = [...this.inFlight.values()];
    const timedOut = await Promise.race([
      Promise.all(pending).then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), graceMs).unref()),
    ]);
    if (timedOut) await this.releaseLeases([...this.inFlight.keys()]);
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  private async run(): Promise<void> {
    const { concurrency, pollIntervalMs } = this.options.config;
    while (this.running) {
      this.wakeRequested = false;
      let claimed: ClaimedDelivery[] = [];
      const free = concurrency - this.inFlight.size;
      // With work in flight, a claim waits (at most CLAIM_BATCH_WAIT_MS) for half the slots to be free: each claim
      // (a transaction and two reads) then serves a batch instead of the single delivery whose slot just freed.
      const batchFloor = this.inFlight.size > 0 ? Math.ceil(concurrency / 2) : 1;
      const claimNow = free >= batchFloor || (free > 0 && this.claimDeferred);
      this.claimDeferred = free > 0 && !claimNow;
      if (claimNow) {
        try {
          claimed = await this.claim(free);
        } catch (error) {
          this.options.log.error({ err: error }, 'claiming deliveries failed');
        }
      }
      for (const item of claimed) {
        const task = this.process(item)
          .catch((error: unknown) =>
            this.options.log.error({ err: error, deliveryId: item.delivery.id }, 'delivery failed'),
          )
          .finally(() => {
            this.inFlight.delete(item.delivery.id);
            this.wakeUp?.();
          });
        this.inFlight.set(item.delivery.id, task);
      }
      if (!this.running) break;
      // A full batch may mean more are due: go again at once. Otherwise sleep until woken or the next poll.
      if (claimed.length > 0 && claimed.length === free) continue;
      if (this.wakeRequested) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.claimDeferred ? CLAIM_BATCH_WAIT_MS : pollIntervalMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  /** Leases up to `limit` due deliveries to this worker, atomically, and loads what sending them needs. */
  async claim(limit: number): Promise<ClaimedDelivery[]> {
    const { dataSource } = this.options;
    const now = new Date();
    const leaseUntil = new Date(now.getTime() + this.options.config.leaseMs);
    const postgres = dataSource.options.type === 'postgres';
    const ids = await dataSource.transaction(async (manager) => {
      const due = manager
        .createQueryBuilder(Delivery, 'd')
        .select('d.id', 'id')
        .where('d.status = :pending', { pending: DeliveryStatus.PENDING })
        .andWhere('d.nextAttemptAt <= :now', { now })
        .andWhere('(d.leaseUntil IS NULL OR d.leaseUntil < :now)')
        .orderBy('d.nextAttemptAt', 'ASC')
        .limit(limit);
      // Several processes share the outbox on PostgreSQL: rows another worker is claiming are skipped, not waited on.
      if (postgres) due.setLock('pessimistic_write').setOnLocked('skip_locked');
      const rows = await due.getRawMany<{ id: string }>();
      if (rows.length === 0) return [];
      const claimedIds = rows.map((row) => row.id);
      await manager.update(
        Delivery,
        { id: In(claimedIds) },
        { leaseUntil, leaseOwner: this.id, updatedAt: now },
      );
      return claimedIds;
    });
    if (ids.length === 0) return [];
    const deliveries = await dataSource.getRepository(Delivery).findBy({ id: In(ids) });
    const notifications = await dataSource
      .getRepository(Notification)
      .createQueryBuilder('n')
      .innerJoinAndMapOne('n.stack', Stack, 'stack', 'stack.id = n.stackId')
      .where('n.id IN (:...ids)', {
        ids: [...new Set(deliveries.map((delivery) => delivery.notificationId))],
      })
      .getMany();
    const payloads = new Map(
      notifications.map((notification) => [
        notification.id,
        buildNotificationPayload(notification as Notification & { stack: Stack }),
      ]),
    );
    return deliveries.map((delivery) => ({ delivery, payload: payloads.get(delivery.notificationId)! }));
  }

  async process({ delivery, payload }: ClaimedDelivery): Promise<void> {
    const at = new Date();
    let resolved: ResolvedTarget | null | undefined;
    try {
      const targets = await loadTargets(
        this.options.dataSource,
        [delivery],
        this.options.publicUrl,
        this.options.channels.secrets,
      );
      resolved = targets.get(delivery.id);
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      // Retried: the operator may yet add the missing key to SECRET_KEY_PREVIOUS.
      await this.record(
        delivery,
        at,
        failedBeforeSending(true, `The channel's secret cannot be read: ${error.message}`),
      );
      return;
    }
    const outcome: DeliveryOutcome = resolved
      ? await sendTo(this.options.transports, resolved, payload)
      : failedBeforeSending(false, 'The channel or device was removed or disabled before delivery');
    await this.record(delivery, at, outcome);
  }

  private async record(delivery: Delivery, at: Date, outcome: DeliveryOutcome): Promise<void> {
    const attemptsMade = delivery.attemptCount + 1;
    const next = this.policy.next(outcome, attemptsMade);
    const status =
      next.kind === 'succeeded'
        ? DeliveryStatus.SUCCEEDED
        : next.kind === 'failed'
          ? DeliveryStatus.FAILED
          : next.kind === 'dead'
            ? DeliveryStatus.DEAD
            : DeliveryStatus.PENDING;
    const recorded = await this.recordInBatch(async (manager) => {
      // Only the lease holder records: a worker that outlived its lease leaves the row to its new owner.
      const result = await manager.update(
        Delivery,
        { id: delivery.id, leaseOwner: this.id },
        {
          status,
          attemptCount: attemptsMade,
          nextAttemptAt: next.kind === 'retry' ? next.at : null,
          leaseUntil: null,
          leaseOwner: null,
          updatedAt: new Date(),
        },
      );
      if (!result.affected) return false;
      const attempt = manager.create(DeliveryAttempt, {
        deliveryId: delivery.id,
        at,
        durationMs: Math.round(outcome.durationMs),
        ok: outcome.ok,
        statusCode: outcome.statusCode,
        responseExcerpt: outcome.responseExcerpt,
        error: outcome.error?.slice(0, ERROR_TEXT_LIMIT) ?? null,
      });
      await manager.insert(DeliveryAttempt, attempt);
      if (outcome.targetGone) await this.removeGoneTarget(manager, delivery);
      return true;
    });
    if (!recorded) {
      this.options.log.warn({ deliveryId: delivery.id }, 'lease lost before the attempt was recorded');
      return;
    }
    this.options.metrics.deliveryAttempts.inc({ channel: delivery.channel, status });
    this.options.metrics.deliveryDuration.observe({ channel: delivery.channel }, outcome.durationMs / 1000);
    this.options.log.info(
      {
        deliveryId: delivery.id,
        notificationId: delivery.notificationId,
        requestId: delivery.requestId,
        channel: delivery.channel,
        status,
        statusCode: outcome.statusCode,
        durationMs: Math.round(outcome.durationMs),
        attempt: attemptsMade,
      },
      'delivery attempt',
    );
    if (isSharedChannel(delivery.channel) && !this.recentlyCleared(delivery.targetId, outcome.ok, at)) {
      await this.options.channels.recordDeliveryOutcome(delivery.targetId, outcome.ok, at);
    }
  }

  /**
   * Runs `write` in one transaction with the other attempts finishing in the same turn of the event loop: one
   * commit per batch instead of one per delivery. If the transaction fails, every attempt in it is unrecorded, and
   * their rows are sent again once their leases expire (at-least-once, as after a crash).
   */
  private recordInBatch(write: (manager: EntityManager) => Promise<boolean>): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pendingWrites.push({ write, resolve, reject });
      if (!this.flushingWrites) void this.flushWrites();
    });
  }

  private async flushWrites(): Promise<void> {
    this.flushingWrites = true;
    try {
      await new Promise((resolve) => setImmediate(resolve));
      while (this.pendingWrites.length > 0) {
        const batch = this.pendingWrites.splice(0);
        try {
          const results = await this.options.dataSource.transaction(async (manager) => {
            const recorded: boolean[] = [];
            for (const { write } of batch) recorded.push(await write(manager));
            return recorded;
          });
          batch.forEach((item, index) => item.resolve(results[index]));
        } catch (error) {
          for (const item of batch) item.reject(error);
        }
      }
    } finally {
      this.flushingWrites = false;
    }
  }

  /**
   * Whether a success need not be recorded on the channel: this worker cleared the channel's failing streak less
   * than HEALTH_RECHECK_MS ago. Saves a write per delivery to a healthy channel; a streak another worker starts
   * meanwhile is cleared at most HEALTH_RECHECK_MS late, far inside the hours a channel must fail to be disabled.
   */
  private recentlyCleared(channelId: string, ok: boolean, at: Date): boolean {
    if (!ok) {
      this.healthyChannels.delete(channelId);
      return false;
    }
    const clearedAt = this.healthyChannels.get(channelId);
    if (clearedAt !== undefined && at.getTime() - clearedAt < HEALTH_RECHECK_MS) return true;
    this.healthyChannels.set(channelId, at.getTime());
    return false;
  }

  private async removeGoneTarget(manager: EntityManager, delivery: Delivery): Promise<void> {
    if (delivery.channel === ChannelKind.IOS) await manager.delete(IosDevice, { id: delivery.targetId });
    if (delivery.channel === ChannelKind.BROWSER)
      await manager.delete(WebPushSubscription, { id: delivery.targetId });
  }

  private async releaseLeases(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.options.dataSource
      .getRepository(Delivery)
      .update({ id: In(ids), leaseOwner: this.id }, { leaseUntil: null, leaseOwner: null });
  }
}
