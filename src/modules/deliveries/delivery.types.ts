import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ChannelKind } from '../events/event-types';
import { NotificationView } from '../events/notification.types';
import type { Stack } from '../stacks/stack.entity';
import { ConnectionArgs } from '../../lib/pagination';
import { Node } from '../../graphql/node';
import { DeliveryStatus, HeldReason } from './delivery.entity';

@ObjectType('DeliveryAttempt', {
  implements: Node,
  description: 'One try at delivering, as the receiver answered it.',
})
export class DeliveryAttemptView {
  @Field(() => ID, { description: 'DeliveryAttempt: followed by the number the attempt was recorded under.' })
  id: string;

  @Field()
  at: Date;

  @Field(() => Int)
  durationMs: number;

  @Field({ description: 'True when the receiver accepted it.' })
  ok: boolean;

  @Field(() => Int, {
    nullable: true,
    description: 'HTTP status or SMTP reply code; null when no answer came.',
  })
  statusCode: number | null;

  @Field(() => String, { nullable: true, description: 'The first 2 KiB of what the receiver answered.' })
  responseExcerpt: string | null;

  @Field(() => String, { nullable: true })
  error: string | null;
}

@ObjectType('Delivery', {
  implements: Node,
  description: 'One notification on its way to one channel target, with every attempt.',
})
export class DeliveryView {
  @Field(() => ID)
  id: string;

  @Field(() => NotificationView)
  notification: NotificationView;

  @Field(() => ChannelKind)
  channel: ChannelKind;

  @Field(() => ID, {
    nullable: true,
    description:
      'The shared channel it went to (Channel.channelId), which may since have been removed; null for personal ' +
      'channels.',
  })
  channelId: string | null;

  @Field({ description: 'Who or where: an email address, an endpoint host, a device.' })
  target: string;

  @Field(() => DeliveryStatus)
  status: DeliveryStatus;

  @Field(() => Int)
  attemptCount: number;

  @Field(() => [DeliveryAttemptView], { description: 'Oldest first.' })
  attempts: DeliveryAttemptView[];

  @Field(() => Date, {
    nullable: true,
    description: 'When the next attempt is due, while PENDING; while HELD, when its window ends.',
  })
  nextAttemptAt: Date | null;

  @Field(() => HeldReason, {
    nullable: true,
    description:
      'Why it waited for the end of a window instead of going out at once: on the held deliveries and on the ' +
      'summary they went out in. Null for deliveries sent as they came.',
  })
  heldReason: HeldReason | null;

  @Field(() => ID, {
    nullable: true,
    description: 'For a SUMMARISED delivery: the id of the summary delivery it went out in.',
  })
  summaryId: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      'For a summary delivery: how many held deliveries it carries (its notification is the first of them). ' +
      'Null for other deliveries.',
  })
  summaryCount: number | null;

  @Field()
  createdAt: Date;
}

@ObjectType({ description: 'What a test notification sent now got back from the channel.' })
export class ChannelTestResult {
  @Field()
  ok: boolean;

  @Field(() => Int, { nullable: true })
  statusCode: number | null;

  @Field(() => Int)
  durationMs: number;

  @Field(() => String, { nullable: true })
  responseExcerpt: string | null;

  @Field(() => String, { nullable: true })
  error: string | null;

  @Field({ description: 'Where the test went.' })
  target: string;

  /** The stack and kind tested, and the shared channel when one was named by id, for the channel field. */
  stack: Stack;
  kind: ChannelKind;
  channelId: string | null;
}

@ArgsType()
export class DeliveriesArgs extends ConnectionArgs {
  @Field(() => ChannelKind, { nullable: true, description: 'Only deliveries to channels of this kind.' })
  channel?: ChannelKind | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only deliveries to this shared channel (Channel.channelId).',
  })
  channelId?: string | null;

  @Field(() => DeliveryStatus, { nullable: true })
  status?: DeliveryStatus | null;

  @Field(() => HeldReason, {
    nullable: true,
    description: 'Only deliveries that waited for this reason (held ones and their summaries).',
  })
  heldReason?: HeldReason | null;
}

/** The most deliveries one redeliverDeliveries call starts over. */
export const REDELIVER_MAX = 1000;

@InputType({ description: 'Which finished deliveries of a stack to send again.' })
export class RedeliverFilter {
  @Field(() => ID)
  stackId: string;

  @Field(() => ChannelKind, { nullable: true, description: 'Only channels of this kind.' })
  channel?: ChannelKind | null;

  @Field(() => ID, { nullable: true, description: 'Only this shared channel (Channel.channelId).' })
  channelId?: string | null;

  @Field(() => DeliveryStatus, { description: 'FAILED or DEAD.' })
  status: DeliveryStatus;

  @Field(() => Date, { nullable: true, description: 'Only deliveries created at or after this time.' })
  since?: Date | null;

  @Field(() => Int, {
    nullable: true,
    description: `At most this many, oldest first (1 to ${REDELIVER_MAX}, the default); call again for the rest.`,
  })
  limit?: number | null;
}

@ObjectType({ description: 'What redeliverDeliveries started over.' })
export class RedeliverDeliveriesPayload {
  @Field(() => Int, { description: 'Deliveries set to PENDING, from the start of the retry schedule.' })
  count: number;

  @Field({
    description: 'True when more deliveries matched than were started over: call again for the rest.',
  })
  truncated: boolean;
}
