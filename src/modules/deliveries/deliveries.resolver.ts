import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Resolver,
  Root,
  UseMiddleware,
} from 'type-graphql';
import { rejectNulCharacters } from '../../lib/input-hygiene';
import { mapErrors } from '../../graphql/map-errors';
import type { Context } from '../../context';
import { viewerOf } from '../accounts/auth';
import { ConnectionType, type Connection } from '../../lib/pagination';
import { Scope } from '../accounts/api-token.entity';
import { ChannelKind } from '../events/event-types';
import { Stack } from '../stacks/stack.entity';
import {
  ChannelTestResult,
  DeliveriesArgs,
  DeliveryAttemptView,
  DeliveryRequestView,
  DeliveryResponseView,
  DeliveryView,
  RedeliverDeliveriesPayload,
  RedeliverFilter,
} from './delivery.types';

export const DeliveryConnection = ConnectionType(DeliveryView, 'Delivery');

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => Stack)
export class DeliveriesResolver {
  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => DeliveryConnection, {
    description: 'The delivery log, newest first, with every attempt.',
  })
  deliveries(
    @Root() stack: Stack,
    @Args(() => DeliveriesArgs) args: DeliveriesArgs,
    @Ctx() context: Context,
  ): Promise<Connection<DeliveryView>> {
    return context.services.deliveries.list(viewerOf(context), stack, args);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => DeliveryView, {
    description: 'Send a delivery again, from the start of the retry schedule.',
  })
  redeliver(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() context: Context): Promise<DeliveryView> {
    return context.services.deliveries.redeliver(viewerOf(context), deliveryId);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => RedeliverDeliveriesPayload, {
    description:
      'Send FAILED or DEAD deliveries of a stack again, oldest first and at most `limit` per call. Shared channels need OWNER or ADMIN; others start over only their own deliveries.',
  })
  async redeliverDeliveries(
    @Arg('filter', () => RedeliverFilter) filter: RedeliverFilter,
    @Ctx() context: Context,
  ): Promise<RedeliverDeliveriesPayload> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, filter.stackId);
    return context.services.deliveries.redeliverMany(viewer, stack, filter);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => ChannelTestResult, {
    description:
      'Send a test notification through a channel now: a shared channel by channelId, or a personal kind. Chat ' +
      "and email messages use the channel's template for stack.redeploy.ok, as a real event would.",
  })
  async testChannel(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('kind', () => ChannelKind, {
      nullable: true,
      description:
        "A personal kind. A shared kind still names the stack's oldest channel of it, but is deprecated: give " +
        'channelId.',
    })
    kind: ChannelKind | null,
    @Ctx() context: Context,
    @Arg('channelId', () => ID, { nullable: true, description: 'A shared channel of the stack.' })
    channelId?: string | null,
  ): Promise<ChannelTestResult> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    return context.services.deliveries.testChannel(viewer, stack, { kind, channelId });
  }
}

/** What an attempt sent and received: only on attempts the caller may see, as the delivery log lists them. */
@UseMiddleware(mapErrors)
@Resolver(() => DeliveryAttemptView)
export class DeliveryAttemptResolver {
  @FieldResolver(() => DeliveryRequestView, {
    nullable: true,
    description:
      'What was sent; null for attempts that stopped before sending and those logged before it was kept.',
  })
  async request(@Root() attempt: DeliveryAttemptView): Promise<DeliveryRequestView | null> {
    return (await attempt.exchange()).request;
  }

  @FieldResolver(() => DeliveryResponseView, {
    nullable: true,
    description: 'What came back; null when no answer came (refused or dropped connection, timeout).',
  })
  async response(@Root() attempt: DeliveryAttemptView): Promise<DeliveryResponseView | null> {
    return (await attempt.exchange()).response;
  }
}
