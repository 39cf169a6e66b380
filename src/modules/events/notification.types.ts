// The GraphQL Notification: the one payload object plus what depends on the viewer (read, browserAlert).
import { GraphQLJSON } from 'graphql-scalars';
import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { EventType } from './event-types';
import type { NotificationPayload } from './notification-payload';
import { ConnectionArgs } from '../../lib/pagination';
import { Node } from '../../graphql/node';

@ObjectType('NotificationStack', { description: 'The stack a notification is about, as it was named then.' })
export class NotificationStack {
  @Field(() => ID)
  id: string;

  @Field()
  name: string;

  @Field()
  environment: string;
}

@ObjectType('Notification', {
  implements: Node,
  description:
    'One event of one stack. The same object is pushed to subscribers, listed in the history and posted to webhooks.',
})
export class NotificationView {
  @Field(() => ID, { description: 'Stable: also the webhook-id of its webhook deliveries.' })
  id: string;

  @Field(() => NotificationStack)
  stack: NotificationStack;

  @Field(() => EventType)
  eventType: EventType;

  @Field({ description: 'The dotted wire key, e.g. stack.redeploy.ok.' })
  eventKey: string;

  @Field({ description: 'A short human title of the event, e.g. "Stack redeployed successfully".' })
  title: string;

  @Field(() => GraphQLJSON, {
    description: "The event's details: server, job, process, container, commit...",
  })
  data: Record<string, unknown>;

  @Field(() => DateTimeResolver)
  occurredAt: string;

  @Field(() => Int, { description: 'Epoch seconds of createdAt, as the webhook body carries it.' })
  timestamp: number;

  @Field(() => DateTimeResolver)
  createdAt: string;

  @Field({ description: 'Whether the viewer has read it.' })
  read: boolean;

  @Field({
    description:
      "True when the viewer's BROWSER cell for this stack and event type is on: raise an HTML5 notification.",
  })
  browserAlert: boolean;
}

export function toNotificationView(
  payload: NotificationPayload,
  read: boolean,
  browserAlert: boolean,
): NotificationView {
  return {
    id: payload.id,
    stack: payload.stack,
    eventType: payload.eventKey,
    eventKey: payload.eventKey,
    title: payload.title,
    data: payload.data,
    occurredAt: payload.occurredAt,
    timestamp: payload.timestamp,
    createdAt: payload.createdAt,
    read,
    browserAlert,
  };
}

/** Checked by EventsService.publish, not class-validator: producers call this more than anything else. */
@InputType()
export class PublishEventInput {
  @Field(() => ID)
  stackId: string;

  @Field(() => EventType)
  eventType: EventType;

  @Field(() => GraphQLJSON, { description: 'The JSON object of event details, at most 64 KiB.' })
  data: unknown;

  @Field(() => Date, { nullable: true, description: 'When it happened; now when omitted.' })
  occurredAt?: Date | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Publishing again with the same key for the same stack within 24 hours returns the first notification.',
  })
  idempotencyKey?: string | null;
}

@ArgsType()
export class NotificationsArgs extends ConnectionArgs {
  @Field({ defaultValue: false })
  unreadOnly: boolean;

  @Field(() => [EventType], { nullable: true, description: 'Only these event types.' })
  eventTypes?: EventType[] | null;
}

@ArgsType()
export class NotificationReceivedArgs {
  @Field(() => ID, { nullable: true, description: "One stack; all of the account's stacks when omitted." })
  stackId?: string | null;

  @Field(() => [EventType], { nullable: true, description: 'Only these event types.' })
  eventTypes?: EventType[] | null;

  @Field(() => ID, {
    nullable: true,
    description:
      'The id of the last notification the client saw: every notification of the subscription published after it is sent first, oldest first, then the live ones, each once. When more than SUBSCRIPTION_REPLAY_MAX follow it, the subscription ends with REPLAY_TOO_LONG: read the history instead.',
  })
  after?: string | null;
}
