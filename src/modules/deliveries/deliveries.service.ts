// The delivery log as users see it, redelivery, and the "test it to see how it behaves" button.
import { randomUUID } from 'node:crypto';
import { In, type DataSource, type SelectQueryBuilder } from 'typeorm';
import { type Clock, systemClock } from '../../lib/clock';
import { BadUserInputError, NotFoundError } from '../../lib/errors';
import { type Connection, mapConnection, type PageArguments, paginate } from '../../lib/pagination';
import type { SecretBox } from '../../lib/secret-box';
import { requireAdmin } from '../accounts/accounts.service';
import type { Viewer } from '../accounts/tokens.service';
import { isAdmin } from '../accounts/user.entity';
import { IosDevice } from '../channels/ios-device.entity';
import { StackChannel } from '../channels/stack-channel.entity';
import { WebPushSubscription } from '../channels/web-push-subscription.entity';
import { derivedId } from '../../lib/global-id';
import { deviceLabel, sharedLabel, subscriptionLabel } from './outbox';
import { notifyDeliveriesDue, pendingStats } from './outbox.repository';
import {
  ChannelKind,
  EventType,
  isSharedChannel,
  KIND_VIEW_CHANNELS,
  SHARED_CHANNELS,
} from '../events/event-types';
import type { EventsService } from '../events/events.service';
import { buildNotificationPayload } from '../events/notification-payload';
import { Stack } from '../stacks/stack.entity';
import { Delivery, DeliveryAttempt, DeliveryStatus, type HeldReason } from './delivery.entity';
import type { HeaderList } from '../../lib/redaction';
import type { ReceivedResponse, SentRequest } from '../../transports/transport';
import {
  type AttemptExchange,
  type ChannelTestResult,
  type DeliveryAttemptView,
  type DeliveryHeaderView,
  type DeliveryRequestView,
  type DeliveryResponseView,
  type DeliveryView,
  REDELIVER_MAX,
  type RedeliverDeliveriesPayload,
  type RedeliverFilter,
} from './delivery.types';
import { stackLinks } from '../../transports/message-templates';
import { loadMessageTemplates, messageFormatOf } from '../templates/delivery-templates';
import {
  type DeliveryTransports,
  type ResolvedTarget,
  sendTo,
  settingsUrl,
  sharedTarget,
  withMessageTemplate,
} from './targets';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where a test notification goes: what the result calls it, the shared channel sending it (null for personal ones). */
interface TestTarget {
  label: string;
  channelId: string | null;
  resolved: ResolvedTarget;
}

/** An attempt's id: the number it was recorded under (a string when PostgreSQL reads a bigint). */
export function attemptId(attemptNumber: number | string): string {
  return derivedId('DeliveryAttempt', String(attemptNumber));
}

const NO_EXCHANGE: AttemptExchange = { request: null, response: null };

function headerViews(headers: HeaderList | undefined): DeliveryHeaderView[] {
  return (headers ?? []).map(([name, value]) => ({ name, value }));
}

function requestView(request: SentRequest): DeliveryRequestView {
  return {
    method: request.method,
    url: request.url,
    headers: headerViews(request.headers),
    body: request.body,
    bodyTruncated: request.bodyTruncated,
    bodySize: request.bodySize,
  };
}

function responseView(response: ReceivedResponse): DeliveryResponseView {
  return {
    status: response.status,
    headers: headerViews(response.headers),
    body: response.body,
    bodyTruncated: response.bodyTruncated,
  };
}

/** An attempt's stored request and response (JSON the worker wrote from the transport's outcome) as the API shows them. */
export function exchangeView(requestSent: string | null, responseReceived: string | null): AttemptExchange {
  return {
    request: requestSent ? requestView(JSON.parse(requestSent) as SentRequest) : null,
    response: responseReceived ? responseView(JSON.parse(responseReceived) as ReceivedResponse) : null,
  };
}

/** Only deliveries to one shared channel: a personal delivery's target (a user, a device) is no channel. */
function whereSharedChannel(query: SelectQueryBuilder<Delivery>, channelId: string): void {
  query
    .andWhere('d.targetId = :channelId', { channelId })
    .andWhere('d.channel IN (:...sharedKinds)', { sharedKinds: [...SHARED_CHANNELS] });
}

export class DeliveriesService {
  private readonly wakeListeners: (() => void)[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly transports: DeliveryTransports,
    private readonly publicUrl: string,
    private readonly secrets: SecretBox,
    private readonly clock: Clock = systemClock,
  ) {}

  onRedeliver(listener: () => void): void {
    this.wakeListeners.push(listener);
  }

  /** OWNER and ADMIN see every delivery of the stack; a MEMBER sees shared channels' and their own. */
  async list(
    viewer: Viewer,
    stack: Stack,
    args: PageArguments & {
      channel?: ChannelKind | null;
      channelId?: string | null;
      status?: DeliveryStatus | null;
      heldReason?: HeldReason | null;
    },
  ): Promise<Connection<DeliveryView>> {
    const query = this.dataSource
      .getRepository(Delivery)
      .createQueryBuilder('d')
      .where('d.stackId = :stackId', { stackId: stack.id });
    if (!isAdmin(viewer.user.role)) {
      query.andWhere('(d.userId IS NULL OR d.userId = :viewerId)', { viewerId: viewer.user.id });
    }
    if (args.channel) query.andWhere('d.channel = :channel', { channel: args.channel });
    if (args.channelId) whereSharedChannel(query, args.channelId);
    if (args.status) query.andWhere('d.status = :status', { status: args.status });
    if (args.heldReason) query.andWhere('d.heldReason = :heldReason', { heldReason: args.heldReason });
    return mapConnection(await paginate(query, 'd', args, `deliveries:${stack.id}`), (rows) =>
      this.views(viewer, stack, rows),
    );
  }

  /** How many deliveries wait, and how long the oldest has waited, for the metrics. */
  async outboxStats(): Promise<{ pending: number; oldestPendingAgeSeconds: number }> {
    const { pending, oldestCreatedAt } = await pendingStats(this.dataSource.manager);
    return {
      pending,
      oldestPendingAgeSeconds: oldestCreatedAt
        ? Math.max(0, (this.clock.now().getTime() - oldestCreatedAt.getTime()) / 1000)
        : 0,
    };
  }

  /**
   * A delivery the viewer may see, with its stack, read in one query scoped to the viewer's account: a delivery of
   * another account, of another user (for a MEMBER) or that does not exist is the same NOT_FOUND.
   */
  private async visibleDelivery(
    viewer: Viewer,
    deliveryId: string,
  ): Promise<{ delivery: Delivery; stack: Stack }> {
    const found = UUID.test(deliveryId)
      ? ((await this.dataSource
          .getRepository(Delivery)
          .createQueryBuilder('d')
          .innerJoinAndMapOne('d.stack', Stack, 's', 's.id = d.stackId AND s.accountId = :accountId', {
            accountId: viewer.account.id,
          })
          .where('d.id = :deliveryId', { deliveryId })
          .getOne()) as (Delivery & { stack: Stack }) | null)
      : null;
    if (!found || (found.userId && found.userId !== viewer.user.id && !isAdmin(viewer.user.role))) {
      throw new NotFoundError('Delivery');
    }
    return { delivery: found, stack: found.stack };
  }

  /**
   * The deliveries with these ids the viewer may see (as Stack.deliveries lists them), in no particular order: those
   * of the viewer's account, and for a MEMBER only shared channels' and their own.
   */
  async visibleDeliveries(viewer: Viewer, ids: readonly string[]): Promise<DeliveryView[]> {
    if (ids.length === 0) return [];
    const query = this.dataSource
      .getRepository(Delivery)
      .createQueryBuilder('d')
      .innerJoinAndMapOne('d.stack', Stack, 's', 's.id = d.stackId AND s.accountId = :accountId', {
        accountId: viewer.account.id,
      })
      .where('d.id IN (:...ids)', { ids });
    if (!isAdmin(viewer.user.role)) {
      query.andWhere('(d.userId IS NULL OR d.userId = :viewerId)', { viewerId: viewer.user.id });
    }
    const found = (await query.getMany()) as (Delivery & { stack: Stack })[];
    const byStack = new Map<string, { stack: Stack; deliveries: Delivery[] }>();
    for (const delivery of found) {
      const group = byStack.get(delivery.stackId);
      if (group) group.deliveries.push(delivery);
      else byStack.set(delivery.stackId, { stack: delivery.stack, deliveries: [delivery] });
    }
    const views = await Promise.all(
      [...byStack.values()].map(({ stack, deliveries }) => this.views(viewer, stack, deliveries)),
    );
    return views.flat();
  }

  /**
   * The attempt recorded under this number, as the viewer sees it in the attempts of its delivery (visibleDeliveries),
   * or null when there is none or its delivery is hidden from the viewer.
   */
  async visibleAttempt(viewer: Viewer, attemptNumber: number): Promise<DeliveryAttemptView | null> {
    if (!Number.isSafeInteger(attemptNumber) || attemptNumber < 1) return null;
    const attempt = await this.dataSource
      .getRepository(DeliveryAttempt)
      .findOne({ select: { id: true, deliveryId: true }, where: { id: attemptNumber } });
    if (!attempt) return null;
    const [delivery] = await this.visibleDeliveries(viewer, [attempt.deliveryId]);
    const id = attemptId(attempt.id);
    return delivery?.attempts.find((view) => view.id === id) ?? null;
  }

  /** Sends a delivery again from the start of the retry schedule; its earlier attempts stay in the log. */
  async redeliver(viewer: Viewer, deliveryId: string): Promise<DeliveryView> {
    const { delivery, stack } = await this.visibleDelivery(viewer, deliveryId);
    if (isSharedChannel(delivery.channel)) requireAdmin(viewer, 'redeliver to shared channels');
    const now = this.clock.now();
    Object.assign(delivery, {
      status: DeliveryStatus.PENDING,
      attemptCount: 0,
      nextAttemptAt: now,
      leaseUntil: null,
      leaseOwner: null,
      updatedAt: now,
    });
    await this.dataSource.getRepository(Delivery).update(
      { id: delivery.id },
      {
        status: delivery.status,
        attemptCount: 0,
        nextAttemptAt: now,
        leaseUntil: null,
        leaseOwner: null,
        updatedAt: now,
      },
    );
    await notifyDeliveriesDue(this.dataSource.manager);
    for (const listener of this.wakeListeners) listener();
    const [view] = await this.views(viewer, stack, [delivery]);
    return view;
  }

  /**
   * Starts finished deliveries of a stack over, oldest first, at most `limit` (REDELIVER_MAX) per call. OWNER and
   * ADMIN may start any over; others only their own personal deliveries, as with redeliver.
   */
  async redeliverMany(
    viewer: Viewer,
    stack: Stack,
    filter: RedeliverFilter,
  ): Promise<RedeliverDeliveriesPayload> {
    if (filter.status !== DeliveryStatus.FAILED && filter.status !== DeliveryStatus.DEAD) {
      throw new BadUserInputError(
        'Only FAILED or DEAD deliveries can be sent again in bulk',
        'filter.status',
      );
    }
    const limit = filter.limit ?? REDELIVER_MAX;
    if (!Number.isInteger(limit) || limit < 1 || limit > REDELIVER_MAX) {
      throw new BadUserInputError(`limit must be from 1 to ${REDELIVER_MAX}`, 'filter.limit');
    }
    if ((filter.channel && isSharedChannel(filter.channel)) || filter.channelId)
      requireAdmin(viewer, 'redeliver to shared channels');
    const query = this.dataSource
      .getRepository(Delivery)
      .createQueryBuilder('d')
      .select('d.id', 'id')
      .where('d.stackId = :stackId', { stackId: stack.id })
      .andWhere('d.status = :status', { status: filter.status });
    if (!isAdmin(viewer.user.role)) query.andWhere('d.userId = :viewerId', { viewerId: viewer.user.id });
    if (filter.channel) query.andWhere('d.channel = :channel', { channel: filter.channel });
    if (filter.channelId) whereSharedChannel(query, filter.channelId);
    if (filter.since) query.andWhere('d.createdAt >= :since', { since: filter.since });
    const ids = (
      await query
        .orderBy('d.createdAt', 'ASC')
        .addOrderBy('d.id', 'ASC')
        .limit(limit + 1)
        .getRawMany<{ id: string }>()
    ).map((row) => row.id);
    const chosen = ids.slice(0, limit);
    if (chosen.length === 0) return { count: 0, truncated: false };
    const now = this.clock.now();
    const result = await this.dataSource
      .createQueryBuilder()
      .update(Delivery)
      .set({
        status: DeliveryStatus.PENDING,
        attemptCount: 0,
        nextAttemptAt: now,
        leaseUntil: null,
        leaseOwner: null,
        updatedAt: now,
      })
      // Still as found: a row another call started over meanwhile is not counted twice.
      .where({ id: In(chosen), status: filter.status })
      .execute();
    const count = result.affected ?? chosen.length;
    if (count > 0) {
      await notifyDeliveriesDue(this.dataSource.manager);
      for (const listener of this.wakeListeners) listener();
    }
    return { count, truncated: ids.length > limit };
  }

  /**
   * Sends a test notification through one channel now and reports what the receiver answered: a shared channel by
   * id, or a personal kind (a shared kind names the stack's oldest channel of it, deprecated). Chat and email
   * messages are written with the stack's template for the channel, as a real stack.redeploy.ok would be.
   */
  async testChannel(
    viewer: Viewer,
    stack: Stack,
    channel: { kind?: ChannelKind | null; channelId?: string | null },
  ): Promise<ChannelTestResult> {
    let kind: ChannelKind;
    let targets: TestTarget[];
    let channelId: string | null = null;
    if (channel.channelId) {
      requireAdmin(viewer, 'test shared channels');
      const row = UUID.test(channel.channelId)
        ? await this.dataSource
            .getRepository(StackChannel)
            .findOneBy({ id: channel.channelId, stackId: stack.id })
        : null;
      if (!row) throw new NotFoundError('Channel');
      kind = row.kind;
      channelId = row.id;
      targets = [
        {
          label: sharedLabel(row),
          channelId: row.id,
          resolved: sharedTarget(row, this.secrets, this.clock.now()),
        },
      ];
    } else if (channel.kind) {
      kind = channel.kind;
      targets = await this.testTargets(viewer, stack, kind);
    } else {
      throw new BadUserInputError('give channelId (a shared channel) or kind (a personal kind)', 'kind');
    }
    const now = this.clock.now();
    const payload = buildNotificationPayload({
      id: randomUUID(),
      eventType: EventType.STACK_REDEPLOY_OK,
      data: { test: true, message: 'A test notification: this channel works.' },
      occurredAt: now,
      createdAt: now,
      stack,
    });
    const templates = targets.some((target) => messageFormatOf(target.resolved.channel) !== null)
      ? await loadMessageTemplates(this.dataSource.manager, [stack.id])
      : new Map();
    const links = stackLinks(this.publicUrl, stack.id);
    let result: ChannelTestResult | null = null;
    for (const { label, channelId: sender, resolved } of targets) {
      const templated = withMessageTemplate(
        resolved,
        { stackId: stack.id, channelId: sender, eventType: payload.eventKey, summary: false },
        templates,
        links,
      );
      const outcome = await sendTo(this.transports, templated, payload);
      result = {
        ok: outcome.ok,
        statusCode: outcome.statusCode,
        durationMs: Math.round(outcome.durationMs),
        responseExcerpt: outcome.responseExcerpt,
        error: outcome.error,
        request: outcome.request ? requestView(outcome.request) : null,
        response: outcome.response ? responseView(outcome.response) : null,
        target: label,
        stack,
        kind,
        channelId,
      };
      if (!outcome.ok) break;
    }
    return result!;
  }

  private async testTargets(viewer: Viewer, stack: Stack, kind: ChannelKind): Promise<TestTarget[]> {
    if (isSharedChannel(kind)) {
      if (!KIND_VIEW_CHANNELS.includes(kind)) {
        throw new BadUserInputError(`${kind} channels are tested by channelId`, 'kind');
      }
      requireAdmin(viewer, 'test shared channels');
      const channel = await this.dataSource
        .getRepository(StackChannel)
        .findOne({ where: { stackId: stack.id, kind }, order: { createdAt: 'ASC', id: 'ASC' } });
      if (!channel) throw new BadUserInputError(`the ${kind} channel is not configured`, 'kind');
      return [
        {
          label: sharedLabel(channel),
          channelId: channel.id,
          resolved: sharedTarget(channel, this.secrets, this.clock.now()),
        },
      ];
    }
    if (kind === ChannelKind.EMAIL) {
      return [
        {
          label: viewer.user.email,
          channelId: null,
          resolved: {
            channel: ChannelKind.EMAIL,
            target: { to: [viewer.user.email], settingsUrl: settingsUrl(this.publicUrl, stack.id) },
          },
        },
      ];
    }
    if (kind === ChannelKind.IOS) {
      const devices = await this.dataSource.getRepository(IosDevice).findBy({ userId: viewer.user.id });
      if (devices.length === 0) throw new BadUserInputError('register an iOS device first', 'kind');
      return devices.map((device) => ({
        label: deviceLabel(device),
        channelId: null,
        resolved: { channel: ChannelKind.IOS, target: { deviceToken: device.token } },
      }));
    }
    const subscriptions = await this.dataSource
      .getRepository(WebPushSubscription)
      .findBy({ userId: viewer.user.id });
    if (subscriptions.length === 0)
      throw new BadUserInputError('register a Web Push subscription first', 'kind');
    return subscriptions.map((subscription) => ({
      label: subscriptionLabel(subscription),
      channelId: null,
      resolved: {
        channel: ChannelKind.BROWSER,
        target: { endpoint: subscription.endpoint, p256dh: subscription.p256dh, auth: subscription.auth },
      },
    }));
  }

  /**
   * Reads what these attempts sent and received in one query, when the first of them is asked for: a page of the
   * log read without those fields does not carry their bodies (up to 128 KiB an attempt) out of the database.
   */
  private exchangesLoader(ids: readonly (number | string)[]): () => Promise<Map<string, AttemptExchange>> {
    let loading: Promise<Map<string, AttemptExchange>> | null = null;
    return () => {
      loading ??= this.dataSource
        .getRepository(DeliveryAttempt)
        .find({
          select: { id: true, requestSent: true, responseReceived: true },
          where: { id: In(ids as number[]) },
        })
        .then(
          (rows) =>
            new Map(rows.map((row) => [String(row.id), exchangeView(row.requestSent, row.responseReceived)])),
        );
      return loading;
    };
  }

  private async views(viewer: Viewer, stack: Stack, deliveries: Delivery[]): Promise<DeliveryView[]> {
    if (deliveries.length === 0) return [];
    const [attempts, notifications] = await Promise.all([
      this.dataSource.getRepository(DeliveryAttempt).find({
        where: { deliveryId: In(deliveries.map((delivery) => delivery.id)) },
        order: { at: 'ASC', id: 'ASC' },
      }),
      this.events.notificationViews(viewer, stack, [
        ...new Set(deliveries.map((delivery) => delivery.notificationId)),
      ]),
    ]);
    const attemptsByDelivery = new Map<string, DeliveryAttemptView[]>();
    const exchanges = this.exchangesLoader(attempts.map((attempt) => attempt.id));
    for (const attempt of attempts) {
      const list = attemptsByDelivery.get(attempt.deliveryId) ?? [];
      list.push({
        id: attemptId(attempt.id),
        at: attempt.at,
        durationMs: attempt.durationMs,
        ok: attempt.ok,
        statusCode: attempt.statusCode,
        responseExcerpt: attempt.responseExcerpt,
        error: attempt.error,
        exchange: async () => (await exchanges()).get(String(attempt.id)) ?? NO_EXCHANGE,
      });
      attemptsByDelivery.set(attempt.deliveryId, list);
    }
    return deliveries.map((delivery) => ({
      id: delivery.id,
      notification: notifications.get(delivery.notificationId)!,
      channel: delivery.channel,
      channelId: isSharedChannel(delivery.channel) ? delivery.targetId : null,
      target: delivery.targetLabel,
      status: delivery.status,
      attemptCount: delivery.attemptCount,
      attempts: attemptsByDelivery.get(delivery.id) ?? [],
      nextAttemptAt:
        delivery.status === DeliveryStatus.PENDING || delivery.status === DeliveryStatus.HELD
          ? delivery.nextAttemptAt
          : null,
      heldReason: delivery.heldReason,
      summaryId: delivery.summaryId,
      summaryCount: delivery.summaryCount,
      createdAt: delivery.createdAt,
    }));
  }
}
