import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ChannelKind } from '../events/event-types';
import { NotificationView } from '../events/notification.types';
import type { Stack } from '../stacks/stack.entity';
import { ConnectionArgs } from '../../lib/pagination';
import { Node } from '../../graphql/node';
import { DeliveryStatus, HeldReason } from './delivery.entity';

@ObjectType('DeliveryHeader', { description: 'One header as sent or received; credentials are masked.' })
export class DeliveryHeaderView {
  @Field({ description: 'Lower case.' })
  name: string;

  @Field()
  value: string;
}

@ObjectType('DeliveryRequest', {
  description:
    'What an attempt sent, as kept in the delivery log. Secrets are masked before it is stored: capability URLs ' +
    '(Slack, Teams, Discord, Web Push endpoints, webhook paths) and tokens in the query keep only their origin and ' +
    'a hint of their last characters; signatures, authorization and token headers keep only their scheme.',
})
export class DeliveryRequestView {
  @Field({ description: 'POST for HTTP channels and iOS push; SMTP for email.' })
  method: string;

  @Field({
    description: 'Where it went, with secrets reduced to hints; for email the relay (smtp://host:port).',
  })
  url: string;

  @Field(() => [DeliveryHeaderView], {
    description:
      'HTTP headers as sent (for iOS push the apns-* headers; the provider token is never kept); for email the ' +
      'envelope (mail-from, one rcpt-to per recipient) and the subject.',
  })
  headers: DeliveryHeaderView[];

  @Field(() => String, {
    nullable: true,
    description:
      'The body as sent, up to its first 64 KiB; for email the plain-text part. Null when not kept: a Web Push ' +
      'body is encrypted for the browser (bodySize says how large it was).',
  })
  body: string | null;

  @Field({ description: 'True when the body was longer than what is kept.' })
  bodyTruncated: boolean;

  @Field(() => Int, { description: 'Bytes of the body as sent.' })
  bodySize: number;
}

@ObjectType('DeliveryResponse', { description: 'What came back to an attempt, as kept in the delivery log.' })
export class DeliveryResponseView {
  @Field(() => Int, { nullable: true, description: 'HTTP status or SMTP reply code.' })
  status: number | null;

  @Field(() => [DeliveryHeaderView], {
    description: 'HTTP headers of the answer (cookies masked); empty for email and iOS push.',
  })
  headers: DeliveryHeaderView[];

  @Field(() => String, {
    nullable: true,
    description:
      "The answer's body, up to its first 64 KiB; for email the server's replies, one a line (refused " +
      'recipients, then the reply to the message); for iOS push the JSON reason of a refusal.',
  })
  body: string | null;

  @Field({ description: 'True when the body was longer than what is kept.' })
  bodyTruncated: boolean;
}

/** What an attempt sent and received, read from the log when a query asks for either. */
export interface AttemptExchange {
  request: DeliveryRequestView | null;
  response: DeliveryResponseView | null;
}

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

  @Field(() => String, {
    nullable: true,
    description: 'The first 2 KiB of what the receiver answered, or what the channel made of it.',
    deprecationReason: 'Use response { body bodyTruncated }, which keeps up to 64 KiB.',
  })
  responseExcerpt: string | null;

  @Field(() => String, { nullable: true })
  error: string | null;

  /** Reads what the attempt sent and received (DeliveryAttemptResolver), once for all attempts of a page. */
  exchange: () => Promise<AttemptExchange>;
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

  @Field(() => DeliveryRequestView, {
    nullable: true,
    description: 'What was sent, masked as in the delivery log; null when nothing was.',
  })
  request: DeliveryRequestView | null;

  @Field(() => DeliveryResponseView, {
    nullable: true,
    description: 'What came back; null when no answer came.',
  })
  response: DeliveryResponseView | null;

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
