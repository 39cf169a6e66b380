// The GraphQL Notification: the one payload object plus what depends on the viewer (read, browserAlert).
import { GraphQLJSON } from 'graphql-scalars';
import { ArgsType, Extensions, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { EVENT_DATA } from '../../graphql/shared-execution';
import { DateTimeResolver } from 'graphql-scalars';
import { EventOutcome, EventType, Severity } from './event-types';
import type { NotificationPayload } from './notification-payload';
import { Stack } from '../stacks/stack.entity';
import { ConnectionArgs } from '../../lib/pagination';
import { Node } from '../../graphql/node';
import { IncidentView, incidentViewOfSnapshot } from '../incidents/incident.types';

/** Every field is read from the view alone (the viewer's read and browserAlert are in it): see EVENT_DATA. */
@Extensions(EVENT_DATA)
@ObjectType('Notification', {
  implements: Node,
  description:
    'One event of one stack. The same object is pushed to subscribers, listed in the history and posted to webhooks.',
})
export class NotificationView {
  @Field(() => ID, { description: 'Stable: also the webhook-id of its webhook deliveries.' })
  id: string;

  @Field(() => Stack, { description: 'The stack, as it is now.' })
  stack: Stack;

  @Field({
    description:
      "The stack's name as this notification carries it (the stack.name of its webhook body), kept with the " +
      'notification in a client cache: in a live notification, its name when published; in the history, the ' +
      'current one (names are not stored with notifications).',
  })
  stackName: string;

  @Field({ description: 'The environment that goes with stackName.' })
  stackEnvironment: string;

  @Field(() => EventType)
  eventType: EventType;

  @Field({ description: 'The dotted wire key, e.g. stack.redeploy.ok.' })
  eventKey: string;

  @Field({ description: 'A short human title of the event, e.g. "Stack redeployed successfully".' })
  title: string;

  @Field(() => Severity, {
    description:
      "The stack's severity of the event type when the event was published (the webhook body's severity).",
  })
  severity: Severity;

  @Field(() => EventOutcome, { description: "What the event says happened (the webhook body's outcome)." })
  outcome: EventOutcome;

  @Field(() => IncidentView, {
    nullable: true,
    description:
      'The incident it opened, joined or resolved; null for events that belong to no incident family. In the ' +
      'history and by id: the incident as it is now; in a live notification: as it was when published.',
  })
  incident: IncidentView | null;

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

/** `stack` is the notification's stack as the API shows it; the payload's own name stays in stackName. */
export function toNotificationView(
  payload: NotificationPayload,
  stack: Stack,
  read: boolean,
  browserAlert: boolean,
): NotificationView {
  return {
    id: payload.id,
    stack,
    stackName: payload.stack.name,
    stackEnvironment: payload.stack.environment,
    eventType: payload.eventKey,
    eventKey: payload.eventKey,
    title: payload.title,
    severity: payload.severity,
    outcome: payload.outcome,
    incident: payload.incident && incidentViewOfSnapshot(payload.incident, stack.id),
    data: payload.data,
    occurredAt: payload.occurredAt,
    timestamp: payload.timestamp,
    createdAt: payload.createdAt,
    read,
    browserAlert,
  };
}

@ObjectType({ description: 'What markNotificationsRead changed.' })
export class MarkNotificationsReadPayload {
  @Field(() => Stack, { description: 'The stack, e.g. for its unreadCount now.' })
  stack: Stack;

  @Field(() => [NotificationView], {
    description:
      'The notifications marked, now read: those named by ids; without ids, those that were unread, newest ' +
      'first, at most 100 of them (see truncated).',
  })
  notifications: NotificationView[];

  @Field({
    description:
      'True when more notifications were marked than are listed: a client that holds older ones should read ' +
      'them again.',
  })
  truncated: boolean;
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
