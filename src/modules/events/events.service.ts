// Events in, notifications out: publish (one transaction with the outbox), history, read state, live subscriptions.
import { In, type DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { type Clock, MonotonicClock, systemClock } from '../../lib/clock';
import { GroupCommit } from '../../lib/group-commit';
import { BadUserInputError, NotFoundError, ReplayTooLongError } from '../../lib/errors';
import type { LiveBus, LiveGap } from '../../lib/live-bus/live-bus';
import { resumeIterator, subscribeIterator } from '../../graphql/subscription-iterator';
import { type Connection, mapConnection, type PageArguments, paginate } from '../../lib/pagination';
import type { Viewer } from '../accounts/tokens.service';
import type { Delivery } from '../deliveries/delivery.entity';
import { deliveryRows, settleGroupKey, settleRows, summaryRows } from '../deliveries/outbox';
import { DeliveryStatus } from '../deliveries/delivery.entity';
import {
  insertDeliveries,
  notifyDeliveriesDue,
  upsertSettleRows,
  upsertSummaries,
} from '../deliveries/outbox.repository';
import type { FlappingRule } from '../noise/flapping-rule';
import {
  applyDigests,
  firstHold,
  flappingPlanner,
  type NoiseSettings,
  quietHoursPlanner,
} from '../noise/noise-rules';
import { type Audience, AudienceCache } from '../preferences/audience';
import { Stack } from '../stacks/stack.entity';
import { StacksService } from '../stacks/stacks.service';
import { ChannelKind, type EventType, Severity } from './event-types';
import { Notification, NotificationRead, NotificationReadMarker } from './notification.entity';
import { IncidentTracker, type IncidentsService } from '../incidents/incidents.service';
import {
  buildNotificationPayload,
  type IncidentSnapshot,
  type NotificationPayload,
} from './notification-payload';
import { toNotificationView, type NotificationView } from './notification.types';
import {
  insertNotifications,
  notificationByIdempotencyKey,
  releaseIdempotencyKey,
} from './notifications.repository';
import { isUniqueViolation } from '../../db/sql';

export const MAX_EVENT_DATA_BYTES = 64 * 1024;
/** Event details are a few fields; deeper nesting only serves to exhaust the stack of whatever walks it. */
export const MAX_EVENT_DATA_DEPTH = 32;
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
export const MAX_MARK_READ_IDS = 100;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
const MAX_ID_LENGTH = 36;
/**
 * How far before the bus lost its connection a gap is filled from: messages in flight then, and instance clocks a
 * little apart (a notification's created_at is its publisher's clock). What was already emitted is skipped.
 */
const LIVE_GAP_MARGIN_MS = 5000;
/** Notifications read per query when a gap is filled, and topics per query. */
const LIVE_GAP_PAGE = 500;

/** A live message's identity, so the bus hands each notification to a topic's listeners once. */
export function liveNotificationKey(message: LiveNotification): string | undefined {
  const id = (message as Partial<LiveNotification> | null)?.payload?.id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * What travels on the live bus: the payload, who should see it raised as a browser notification, and what the
 * payload's stack lacks to be the API's Stack (so no subscriber reads the stack again).
 */
export interface LiveNotification {
  payload: NotificationPayload;
  browserAlertUserIds: string[];
  /** Absent in messages of instances from before it was sent. */
  stackAccountId?: string;
  /** ISO 8601. */
  stackCreatedAt: string;
}

/**
 * The two views of a live message (with and without browserAlert), built once and shared by every subscriber:
 * the subscription executor runs each event once per distinct view and operation, not once per socket.
 */
const liveViews = new WeakMap<
  LiveNotification,
  { stack: Stack; alert?: NotificationView; quiet?: NotificationView }
>();

/** `accountId`: the subscriber's, whose topics only carry their account's notifications. */
function liveView(message: LiveNotification, browserAlert: boolean, accountId: string): NotificationView {
  let views = liveViews.get(message);
  if (!views) {
    const { id, name, environment } = message.payload.stack;
    // A plain object: `new Stack()` would draw a random id only to overwrite it.
    const stack = {
      id,
      // A message from an instance that did not send it yet (during an upgrade) still names the right account.
      accountId: message.stackAccountId ?? accountId,
      name,
      environment,
      settingsVersion: 0,
      createdAt: new Date(message.stackCreatedAt),
    } satisfies Stack;
    liveViews.set(message, (views = { stack }));
  }
  if (browserAlert) return (views.alert ??= toNotificationView(message.payload, views.stack, false, true));
  return (views.quiet ??= toNotificationView(message.payload, views.stack, false, false));
}

export function accountTopic(accountId: string): string {
  return `account:${accountId}`;
}

export function stackTopic(stackId: string): string {
  return `stack:${stackId}`;
}

/** An event validated, waiting for the next batched write. */
interface PendingEvent {
  accountId: string;
  stackId: string;
  eventType: EventType;
  data: Record<string, unknown>;
  occurredAt: Date;
  idempotencyKey: string | null;
  requestId: string | null;
}

type WriteResult =
  | {
      stack: Stack;
      notification: Notification;
      /** Outbox rows written with it. */
      deliveries: number;
      /** Who it was written for; null when an earlier notification with the same idempotency key is returned. */
      audience: Audience | null;
      /** The incident it opened, joined or resolved, as it carries it. */
      incident?: IncidentSnapshot | null;
    }
  | { error: Error };

export interface PublishInput {
  stackId: string;
  eventType: EventType;
  data: unknown;
  occurredAt?: Date | null;
  idempotencyKey?: string | null;
}

const NO_DIGESTS: NoiseSettings['digests'] = new Map();

/** How deeply objects and arrays nest in a JSON value, measured without recursion (its input may be very deep). */
function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_EVENT_DATA_DEPTH) break;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return deepest;
}

function validateData(data: unknown): Record<string, unknown> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new BadUserInputError('must be a JSON object', 'input.data');
  }
  if (nestingDepth(data) > MAX_EVENT_DATA_DEPTH) {
    throw new BadUserInputError(`must be nested at most ${MAX_EVENT_DATA_DEPTH} levels deep`, 'input.data');
  }
  if (Buffer.byteLength(JSON.stringify(data)) > MAX_EVENT_DATA_BYTES) {
    throw new BadUserInputError(`must be at most ${MAX_EVENT_DATA_BYTES / 1024} KiB of JSON`, 'input.data');
  }
  return data as Record<string, unknown>;
}

export class EventsService {
  private readonly enqueuedListeners: (() => void)[] = [];
  private readonly audiences: AudienceCache;
  private readonly writes: GroupCommit<PendingEvent, WriteResult>;
  private readonly createdAt: MonotonicClock;

  constructor(
    private readonly dataSource: DataSource,
    private readonly stacks: StacksService,
    private readonly bus: LiveBus<LiveNotification>,
    private readonly incidentsService: IncidentsService,
    /** Notifications a subscription with `after` replays at most. */
    private readonly replayMax = 1000,
    private readonly clock: Clock = systemClock,
    /** The flapping rule of stacks without their own. */
    private readonly flappingDefaults: FlappingRule,
  ) {
    this.createdAt = new MonotonicClock(clock);
    this.audiences = new AudienceCache(dataSource);
    this.writes = new GroupCommit((events) =>
      this.dataSource.transaction((manager) => this.writeBatch(manager, events)),
    );
    bus.onGap((gap) => this.fillLiveGap(gap));
  }

  /**
   * After the bus lost messages from other instances: hands this process's subscribers, oldest first, the
   * notifications of their topics committed since shortly before the loss. The bus skips those they already got.
   */
  private async fillLiveGap({ topics, lostAt }: LiveGap): Promise<void> {
    const accountIds = new Set<string>();
    const stackIds = new Set<string>();
    for (const topic of topics) {
      const [kind, id] = topic.split(':', 2);
      if (kind === 'account' && id) accountIds.add(id);
      else if (kind === 'stack' && id) stackIds.add(id);
    }
    const stacks = new Map<string, Stack>();
    const accounts = [...accountIds];
    for (let start = 0; start < accounts.length; start += LIVE_GAP_PAGE) {
      const found = await this.dataSource
        .getRepository(Stack)
        .findBy({ accountId: In(accounts.slice(start, start + LIVE_GAP_PAGE)) });
      for (const stack of found) stacks.set(stack.id, stack);
    }
    const missing = [...stackIds].filter((id) => !stacks.has(id));
    for (let start = 0; start < missing.length; start += LIVE_GAP_PAGE) {
      const found = await this.dataSource
        .getRepository(Stack)
        .findBy({ id: In(missing.slice(start, start + LIVE_GAP_PAGE)) });
      for (const stack of found) stacks.set(stack.id, stack);
    }
    const since = new Date(lostAt - LIVE_GAP_MARGIN_MS);
    const ids = [...stacks.keys()];
    // Each stack is in one group, so each topic still gets its notifications in order.
    for (let start = 0; start < ids.length; start += LIVE_GAP_PAGE) {
      const group = ids.slice(start, start + LIVE_GAP_PAGE);
      let after: Notification | undefined;
      for (;;) {
        const query = this.dataSource
          .getRepository(Notification)
          .createQueryBuilder('n')
          .where('n.stackId IN (:...group)', { group });
        if (after) {
          query.andWhere(
            '(n.createdAt > :afterCreatedAt OR (n.createdAt = :afterCreatedAt AND n.id > :afterId))',
            {
              afterCreatedAt: after.createdAt,
              afterId: after.id,
            },
          );
        } else {
          query.andWhere('n.createdAt >= :since', { since });
        }
        const rows = await query
          .orderBy('n.createdAt', 'ASC')
          .addOrderBy('n.id', 'ASC')
          .limit(LIVE_GAP_PAGE)
          .getMany();
        for (const row of rows) {
          const stack = stacks.get(row.stackId)!;
          const audience = await this.audiences.of(stack, row.eventType);
          const message: LiveNotification = {
            payload: buildNotificationPayload({ ...row, stack }),
            browserAlertUserIds: audience.recipients.users.BROWSER,
            stackAccountId: stack.accountId,
            stackCreatedAt: stack.createdAt.toISOString(),
          };
          if (accountIds.has(stack.accountId)) this.bus.emitLocal(accountTopic(stack.accountId), message);
          if (stackIds.has(stack.id)) this.bus.emitLocal(stackTopic(stack.id), message);
        }
        if (rows.length < LIVE_GAP_PAGE) break;
        after = rows[rows.length - 1];
      }
    }
  }

  /** Called after a commit that wrote deliveries, so an idle worker starts at once instead of at its next poll. */
  onDeliveriesEnqueued(listener: () => void): void {
    this.enqueuedListeners.push(listener);
  }

  async publish(viewer: Viewer, input: PublishInput, requestId: string | null): Promise<NotificationView> {
    if ((input.idempotencyKey?.length ?? 0) > MAX_IDEMPOTENCY_KEY_LENGTH) {
      throw new BadUserInputError(
        `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`,
        'input.idempotencyKey',
      );
    }
    // Anything but a UUID (another object's id too, e.g. a channel's) names no stack.
    if (!StacksService.isStackId(input.stackId)) throw new NotFoundError('Stack');
    const data = validateData(input.data);
    const occurredAt = input.occurredAt ?? this.clock.now();
    if (Number.isNaN(occurredAt.getTime()))
      throw new BadUserInputError('must be a date-time', 'input.occurredAt');
    const idempotencyKey = input.idempotencyKey?.trim() || null;
    const event: PendingEvent = {
      accountId: viewer.account.id,
      stackId: input.stackId,
      eventType: input.eventType,
      data,
      occurredAt,
      idempotencyKey,
      requestId,
    };

    let result: WriteResult;
    try {
      result = await this.writes.add(event);
    } catch (error) {
      // Two producers raced with the same key: the loser returns the winner's notification.
      if (!idempotencyKey || !isUniqueViolation(error)) throw error;
      const existing = await this.dataSource.getRepository(Notification).findOneByOrFail({
        stackId: input.stackId,
        idempotencyKey,
      });
      result = {
        stack: await this.stacks.get(viewer, input.stackId),
        notification: existing,
        deliveries: 0,
        audience: null,
      };
    }
    if ('error' in result) throw result.error;

    const { stack, audience } = result;
    const payload = buildNotificationPayload({ ...result.notification, stack, incident: result.incident });
    if (audience) {
      const browserAlertUserIds = audience.recipients.users.BROWSER;
      const message: LiveNotification = {
        payload,
        browserAlertUserIds,
        stackAccountId: stack.accountId,
        stackCreatedAt: stack.createdAt.toISOString(),
      };
      await Promise.all([
        this.bus.publish(accountTopic(stack.accountId), message),
        this.bus.publish(stackTopic(stack.id), message),
      ]);
      if (result.deliveries > 0) for (const listener of this.enqueuedListeners) listener();
      return toNotificationView(payload, stack, false, browserAlertUserIds.includes(viewer.user.id));
    }
    const [view] = await this.views(viewer, stack, [result.notification]);
    return view;
  }

  /**
   * Writes a batch of events, each with its outbox rows, in one transaction: concurrent publishes share a commit
   * (and one multi-row insert per table) instead of taking one each.
   */
  private async writeBatch(manager: EntityManager, events: readonly PendingEvent[]): Promise<WriteResult[]> {
    const results: WriteResult[] = [];
    const fresh: Notification[] = [];
    const deliveries: Delivery[] = [];
    // One read of the batch's stacks, in the transaction that writes their notifications. Who gets each event comes
    // from a cache checked against the settings_version read here, so it is the audience as of this write.
    const stacks = await this.stacks.byIds(
      manager,
      events.map((event) => event.stackId),
    );
    /** The digests of the batch's stacks that have any. */
    const digested = new Map<string, NoiseSettings['digests']>();
    /** Keys written earlier in this batch: a repeat returns that notification, as it would a committed one. */
    const keysInBatch = new Map<string, Notification>();
    const incidents = new IncidentTracker(manager);
    /** Transitions of flapping subjects, in order: each moves its subject's "settled" rows once it is written. */
    const settling: { rows: Delivery[]; group: string; settlesAt: Date; notification: Notification }[] = [];
    for (const event of events) {
      const { idempotencyKey } = event;
      const stack = stacks.get(event.stackId);
      // A stack of another account is reported exactly like a missing one.
      if (!stack || stack.accountId !== event.accountId) {
        results.push({ error: new NotFoundError('Stack') });
        continue;
      }
      if (idempotencyKey) {
        const key = `${stack.id}|${idempotencyKey}`;
        const earlier = keysInBatch.get(key);
        if (earlier) {
          results.push({ stack, notification: earlier, deliveries: 0, audience: null });
          continue;
        }
        const existing = await notificationByIdempotencyKey(manager, stack.id, idempotencyKey);
        if (existing && this.clock.now().getTime() - existing.createdAt.getTime() < IDEMPOTENCY_WINDOW_MS) {
          results.push({ stack, notification: existing, deliveries: 0, audience: null });
          continue;
        }
        // An expired key is released, so the unique index admits the new notification.
        if (existing) await releaseIdempotencyKey(manager, existing.id);
      }
      const audience = await this.audiences.of(stack, event.eventType);
      const notification = Object.assign(new Notification(), {
        stackId: stack.id,
        accountId: stack.accountId,
        eventType: event.eventType,
        data: event.data,
        severity: audience.severity,
        occurredAt: event.occurredAt,
        idempotencyKey,
        createdAt: this.createdAt.now(),
      });
      if (idempotencyKey) keysInBatch.set(`${stack.id}|${idempotencyKey}`, notification);
      const { snapshot: incident, flapping } = await incidents.record(
        notification,
        audience.noise.flapping ?? this.flappingDefaults,
      );
      if (audience.noise.digests.size > 0) digested.set(stack.id, audience.noise.digests);
      const rows = deliveryRows(
        notification,
        audience,
        event.requestId,
        firstHold(
          quietHoursPlanner(
            audience.noise,
            notification.severity === Severity.CRITICAL,
            notification.createdAt,
          ),
          flappingPlanner(flapping),
        ),
      );
      if (flapping?.settlesAt) {
        const settle = { stackId: stack.id, subjectKey: flapping.subjectKey, settlesAt: flapping.settlesAt };
        settling.push({
          rows: settleRows(rows, settle),
          group: settleGroupKey(stack.id, flapping.subjectKey),
          settlesAt: flapping.settlesAt,
          notification,
        });
      }
      fresh.push(notification);
      deliveries.push(...rows);
      results.push({ stack, notification, deliveries: rows.length, audience, incident });
    }
    if (digested.size > 0) {
      await applyDigests(
        manager,
        deliveries,
        (stackId) => digested.get(stackId) ?? NO_DIGESTS,
        this.clock.now(),
      );
    }
    await insertNotifications(manager, fresh);
    await insertDeliveries(manager, deliveries);
    const held = deliveries.filter((row) => row.status === DeliveryStatus.HELD);
    if (held.length > 0) await upsertSummaries(manager, summaryRows(held));
    for (const settle of settling) {
      await upsertSettleRows(manager, settle.rows, {
        group: settle.group,
        settlesAt: settle.settlesAt,
        notificationId: settle.notification.id,
        now: settle.notification.createdAt,
      });
    }
    // Held rows wait for their window's end: only deliveries due now need a worker at once.
    if (held.length < deliveries.length) await notifyDeliveriesDue(manager);
    return results;
  }

  async history(
    viewer: Viewer,
    stack: Stack,
    args: PageArguments & { unreadOnly?: boolean; eventTypes?: EventType[] | null },
  ): Promise<Connection<NotificationView>> {
    const query = this.dataSource
      .getRepository(Notification)
      .createQueryBuilder('n')
      .where('n.stackId = :stackId', { stackId: stack.id });
    return this.page(viewer, stack, query, args, `notifications:${stack.id}`);
  }

  /** The notifications that opened, joined or resolved an incident of the stack, newest first. */
  incidentHistory(
    viewer: Viewer,
    stack: Stack,
    incidentId: string,
    args: PageArguments,
  ): Promise<Connection<NotificationView>> {
    const query = this.dataSource
      .getRepository(Notification)
      .createQueryBuilder('n')
      .where('n.incidentId = :incidentId', { incidentId })
      .andWhere('n.stackId = :stackId', { stackId: stack.id });
    return this.page(viewer, stack, query, args, `incident:${incidentId}`);
  }

  private async page(
    viewer: Viewer,
    stack: Stack,
    query: SelectQueryBuilder<Notification>,
    args: PageArguments & { unreadOnly?: boolean; eventTypes?: EventType[] | null },
    list: string,
  ): Promise<Connection<NotificationView>> {
    if (args.eventTypes?.length)
      query.andWhere('n.eventType IN (:...eventTypes)', { eventTypes: args.eventTypes });
    if (args.unreadOnly) await this.onlyUnread(query, viewer, stack);
    return mapConnection(await paginate(query, 'n', args, list), (rows) => this.views(viewer, stack, rows));
  }

  async unreadCount(viewer: Viewer, stack: Stack): Promise<number> {
    const query = this.dataSource
      .getRepository(Notification)
      .createQueryBuilder('n')
      .where('n.stackId = :stackId', { stackId: stack.id });
    await this.onlyUnread(query, viewer, stack);
    return query.getCount();
  }

  /**
   * Marks the given notifications read, or all of the stack's when ids is null or empty. Returns the notifications
   * it marked, now read: those named, or (marking all) those that were unread, newest first, at most
   * MAX_MARK_READ_IDS of them; `truncated` tells that more were marked.
   */
  async markRead(
    viewer: Viewer,
    stack: Stack,
    ids: readonly string[] | null | undefined,
  ): Promise<{ notifications: NotificationView[]; truncated: boolean }> {
    const userId = viewer.user.id;
    const notifications = this.dataSource.getRepository(Notification);
    if (!ids || ids.length === 0) {
      const newest = await notifications
        .createQueryBuilder('n')
        .where('n.stackId = :stackId', { stackId: stack.id })
        .orderBy('n.createdAt', 'DESC')
        .limit(1)
        .getOne();
      if (!newest) return { notifications: [], truncated: false };
      const unread = notifications
        .createQueryBuilder('n')
        .where('n.stackId = :stackId', { stackId: stack.id })
        .andWhere('n.createdAt <= :newest', { newest: newest.createdAt });
      await this.onlyUnread(unread, viewer, stack);
      const marked = await unread
        .orderBy('n.createdAt', 'DESC')
        .addOrderBy('n.id', 'DESC')
        .limit(MAX_MARK_READ_IDS + 1)
        .getMany();
      await this.dataSource.transaction(async (manager) => {
        await manager.upsert(
          NotificationReadMarker,
          { userId, stackId: stack.id, readThrough: newest.createdAt },
          ['userId', 'stackId'],
        );
        await manager.delete(NotificationRead, { userId, stackId: stack.id });
      });
      return {
        notifications: await this.views(viewer, stack, marked.slice(0, MAX_MARK_READ_IDS)),
        truncated: marked.length > MAX_MARK_READ_IDS,
      };
    }
    const unique = [...new Set(ids)];
    if (unique.length > MAX_MARK_READ_IDS) {
      throw new BadUserInputError(`can name at most ${MAX_MARK_READ_IDS} notifications`, 'ids');
    }
    const found = await notifications.findBy({ id: In(unique), stackId: stack.id });
    if (found.length !== unique.length) throw new NotFoundError('Notification');
    const now = this.clock.now();
    await this.dataSource.getRepository(NotificationRead).upsert(
      unique.map((notificationId) => ({ userId, notificationId, stackId: stack.id, createdAt: now })),
      ['userId', 'notificationId'],
    );
    const byId = new Map(found.map((notification) => [notification.id, notification]));
    return {
      notifications: await this.views(
        viewer,
        stack,
        unique.map((id) => byId.get(id)!),
      ),
      truncated: false,
    };
  }

  /**
   * A live stream of the viewer's notifications: one stack's, or all of the account's. With `after`, the ones
   * created after that notification come first, oldest first (the history's order reversed), then the live ones.
   */
  async subscribe(
    viewer: Viewer,
    args: { stackId?: string | null; eventTypes?: EventType[] | null; after?: string | null },
  ): Promise<AsyncIterableIterator<NotificationView>> {
    const stack = args.stackId ? await this.stacks.get(viewer, args.stackId) : null;
    const topic = stack ? stackTopic(stack.id) : accountTopic(viewer.account.id);
    const types = args.eventTypes?.length ? new Set<string>(args.eventTypes) : null;
    const userId = viewer.user.id;
    const live = subscribeIterator(this.bus, topic, (message: LiveNotification) => {
      if (types && !types.has(message.payload.eventKey)) return undefined;
      return liveView(message, message.browserAlertUserIds.includes(userId), viewer.account.id);
    });
    if (args.after === null || args.after === undefined) return live;
    try {
      // Listening before reading: what is committed after the read is published after this, so nothing falls
      // between the two; what comes both ways is sent once.
      await this.bus.subscribed(topic);
      const replay = await this.replay(viewer, stack, args.eventTypes, args.after);
      if (live.overflowed) throw new ReplayTooLongError(this.replayMax);
      return resumeIterator(replay, live, (view) => view.id);
    } catch (error) {
      await live.return!();
      throw error;
    }
  }

  /** The viewer's notifications in a subscription's scope created after `afterId`, oldest first. */
  private async replay(
    viewer: Viewer,
    stack: Stack | null,
    eventTypes: EventType[] | null | undefined,
    afterId: string,
  ): Promise<NotificationView[]> {
    // Another account's notification is reported exactly like a missing one.
    const after =
      afterId.length <= MAX_ID_LENGTH
        ? await this.dataSource
            .getRepository(Notification)
            .findOneBy({ id: afterId, accountId: viewer.account.id })
        : null;
    if (!after) throw new NotFoundError('Notification');
    const stacks = stack
      ? [stack]
      : await this.dataSource.getRepository(Stack).findBy({ accountId: viewer.account.id });
    if (stacks.length === 0) return [];
    const query = this.dataSource
      .getRepository(Notification)
      .createQueryBuilder('n')
      .where('n.stackId IN (:...stackIds)', { stackIds: stacks.map((each) => each.id) })
      .andWhere('(n.createdAt > :afterCreatedAt OR (n.createdAt = :afterCreatedAt AND n.id > :afterId))', {
        afterCreatedAt: after.createdAt,
        afterId: after.id,
      });
    if (eventTypes?.length) query.andWhere('n.eventType IN (:...eventTypes)', { eventTypes });
    const rows = await query
      .orderBy('n.createdAt', 'ASC')
      .addOrderBy('n.id', 'ASC')
      .limit(this.replayMax + 1)
      .getMany();
    if (rows.length > this.replayMax) throw new ReplayTooLongError(this.replayMax);
    const byStack = new Map<string, Notification[]>();
    for (const row of rows) {
      const group = byStack.get(row.stackId);
      if (group) group.push(row);
      else byStack.set(row.stackId, [row]);
    }
    const views = new Map<string, NotificationView>();
    for (const each of stacks) {
      const group = byStack.get(each.id);
      if (!group) continue;
      for (const view of await this.views(viewer, each, group)) views.set(view.id, view);
    }
    return rows.map((row) => views.get(row.id)!);
  }

  /** The viewer's views of some notifications of a stack, by id. */
  async notificationViews(
    viewer: Viewer,
    stack: Stack,
    ids: string[],
  ): Promise<Map<string, NotificationView>> {
    const notifications = ids.length
      ? await this.dataSource.getRepository(Notification).findBy({ id: In(ids), stackId: stack.id })
      : [];
    const views = await this.views(viewer, stack, notifications);
    return new Map(views.map((view) => [view.id, view]));
  }

  /** The notifications with these ids in the viewer's account, as the viewer sees them, in no particular order. */
  async visibleNotifications(viewer: Viewer, ids: readonly string[]): Promise<NotificationView[]> {
    if (ids.length === 0) return [];
    const notifications = await this.dataSource
      .getRepository(Notification)
      .findBy({ id: In([...ids]), accountId: viewer.account.id });
    if (notifications.length === 0) return [];
    const byStack = new Map<string, Notification[]>();
    for (const notification of notifications) {
      const group = byStack.get(notification.stackId);
      if (group) group.push(notification);
      else byStack.set(notification.stackId, [notification]);
    }
    const stacks = await this.dataSource
      .getRepository(Stack)
      .findBy({ id: In([...byStack.keys()]), accountId: viewer.account.id });
    const views = await Promise.all(stacks.map((stack) => this.views(viewer, stack, byStack.get(stack.id)!)));
    return views.flat();
  }

  private async readMarker(viewer: Viewer, stack: Stack): Promise<Date | null> {
    const marker = await this.dataSource
      .getRepository(NotificationReadMarker)
      .findOneBy({ userId: viewer.user.id, stackId: stack.id });
    return marker?.readThrough ?? null;
  }

  private async onlyUnread(
    query: SelectQueryBuilder<Notification>,
    viewer: Viewer,
    stack: Stack,
  ): Promise<void> {
    const readThrough = await this.readMarker(viewer, stack);
    if (readThrough) query.andWhere('n.createdAt > :readThrough', { readThrough });
    query.andWhere(
      'NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.user_id = :readerId AND r.notification_id = n.id)',
      { readerId: viewer.user.id },
    );
  }

  private async views(
    viewer: Viewer,
    stack: Stack,
    notifications: Notification[],
  ): Promise<NotificationView[]> {
    if (notifications.length === 0) return [];
    const incidentIds = notifications.flatMap((notification) =>
      notification.incidentId ? [notification.incidentId] : [],
    );
    const [readThrough, reads, browserCells, incidents] = await Promise.all([
      this.readMarker(viewer, stack),
      this.dataSource.getRepository(NotificationRead).findBy({
        userId: viewer.user.id,
        notificationId: In(notifications.map((notification) => notification.id)),
      }),
      this.audiences.personalCells(stack, viewer.user.id, ChannelKind.BROWSER),
      this.incidentsService.byIds(stack.id, incidentIds),
    ]);
    const readIds = new Set(reads.map((read) => read.notificationId));
    return notifications.map((notification) => {
      const view = toNotificationView(
        buildNotificationPayload({ ...notification, stack }),
        stack,
        readIds.has(notification.id) || (readThrough !== null && notification.createdAt <= readThrough),
        browserCells(notification.eventType),
      );
      // The history shows each incident as it is now.
      view.incident = (notification.incidentId && incidents.get(notification.incidentId)) || null;
      return view;
    });
  }
}
