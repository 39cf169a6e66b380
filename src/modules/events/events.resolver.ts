import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
  UseMiddleware,
} from 'type-graphql';
import { rejectNulCharacters } from '../../lib/input-hygiene';
import { mapErrors } from '../../graphql/map-errors';
import type { Context } from '../../context';
import { requireViewer, viewerOf } from '../accounts/auth';
import { toGraphQLError } from '../../lib/errors';
import { ConnectionType, type Connection } from '../../lib/pagination';
import { Scope } from '../accounts/api-token.entity';
import { Stack } from '../stacks/stack.entity';
import {
  MarkNotificationsReadPayload,
  NotificationReceivedArgs,
  NotificationsArgs,
  NotificationView,
  PublishEventInput,
} from './notification.types';

export const NotificationConnection = ConnectionType(NotificationView, 'Notification');

/** Subscriptions are subscribed outside the resolver middleware chain, so errors are coded here. */
async function subscribeNotifications({
  args,
  context,
}: SubscribeResolverData<unknown, NotificationReceivedArgs, Context>) {
  try {
    const viewer = requireViewer(context, Scope.SETTINGS_READ);
    return await context.services.events.subscribe(viewer, args);
  } catch (error) {
    const {
      error: coded,
      internal,
      unavailable,
    } = toGraphQLError(error, {
      maskInternal: context.services.config.production,
      requestId: context.requestId,
    });
    if (internal) context.log.error({ err: error }, 'subscription failed');
    if (unavailable) context.log.warn({ err: error }, 'subscription failed: a dependency is unreachable');
    throw coded;
  }
}

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => Stack)
export class EventsResolver {
  @Authorized(Scope.EVENTS_PUBLISH)
  @Mutation(() => NotificationView, {
    description: 'For producers (deployer, monitors): record an event and notify everyone whose cell is on.',
  })
  publishEvent(
    @Arg('input', () => PublishEventInput, { validate: false }) input: PublishEventInput,
    @Ctx() context: Context,
  ): Promise<NotificationView> {
    return context.services.events.publish(viewerOf(context), input, context.requestId);
  }

  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => NotificationConnection, { description: 'The notification history, newest first.' })
  async notifications(
    @Root() stack: Stack,
    @Args(() => NotificationsArgs) args: NotificationsArgs,
    @Ctx() context: Context,
  ): Promise<Connection<NotificationView>> {
    return context.services.events.history(viewerOf(context), stack, args);
  }

  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => Int, { description: 'How many notifications the viewer has not read.' })
  unreadCount(@Root() stack: Stack, @Ctx() context: Context): Promise<number> {
    return context.services.events.unreadCount(viewerOf(context), stack);
  }

  @Authorized(Scope.SETTINGS_READ)
  @Mutation(() => MarkNotificationsReadPayload, {
    description: 'Mark notifications read for the viewer; all of them when ids is omitted.',
  })
  async markNotificationsRead(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('ids', () => [ID], { nullable: true }) ids: string[] | null,
    @Ctx() context: Context,
  ): Promise<MarkNotificationsReadPayload> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    return { stack, ...(await context.services.events.markRead(viewer, stack, ids)) };
  }

  @Authorized(Scope.SETTINGS_READ)
  @Subscription(() => NotificationView, {
    subscribe: subscribeNotifications,
    description: "Notifications of one stack, or of all the account's stacks, the moment they are published.",
  })
  notificationReceived(
    @Root() notification: NotificationView,
    @Args(() => NotificationReceivedArgs) _args: NotificationReceivedArgs,
  ): NotificationView {
    return notification;
  }
}
