import { Field, ObjectType, Query, Resolver, UseMiddleware } from 'type-graphql';
import { rejectNulCharacters } from '../../lib/input-hygiene';
import { mapErrors } from '../../graphql/map-errors';
import {
  ALL_CHANNELS,
  ChannelKind,
  defaultEnabled,
  EVENT_TYPES,
  EventGroup,
  EventOutcome,
  EventType,
  Severity,
} from './event-types';

@ObjectType('EventTypeInfo', { description: 'An event type of the catalogue.' })
export class EventTypeInfoType {
  @Field(() => EventType)
  type: EventType;

  @Field({ description: 'The dotted wire key, e.g. stack.redeploy.ok, sent as event_type in webhooks.' })
  key: string;

  @Field({
    description:
      'The event\'s human name, e.g. "Stack provisioned successfully": what the inbox, email and chat messages call it.',
  })
  title: string;

  @Field({ description: 'The same words as title.' })
  description: string;

  @Field(() => EventGroup, { description: 'The part of the catalogue the event belongs to.' })
  group: EventGroup;

  @Field(() => [ChannelKind], { description: 'The channels that start on for a new stack or user.' })
  defaultChannels: ChannelKind[];

  @Field(() => Severity, {
    description: 'The severity a stack gives it unless it sets its own (setEventSeverity).',
  })
  severity: Severity;

  @Field(() => EventOutcome, { description: 'What the event says happened.' })
  outcome: EventOutcome;
}

const catalogue: EventTypeInfoType[] = EVENT_TYPES.map((info) => ({
  type: info.type,
  key: info.key,
  title: info.title,
  description: info.description,
  group: info.group,
  defaultChannels: ALL_CHANNELS.filter((channel) => defaultEnabled(info.type, channel)),
  severity: info.severity,
  outcome: info.outcome,
}));

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver()
export class EventTypesResolver {
  @Query(() => [EventTypeInfoType], { description: 'The fourteen event types, public: no token needed.' })
  eventTypes(): EventTypeInfoType[] {
    return catalogue;
  }
}
