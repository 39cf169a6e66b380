import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { ChannelKind, EventType, Severity } from '../events/event-types';
import { ChannelScope } from '../channels/channel.types';

// Plain data: the fields resolve as property reads (simpleResolvers), not through a type-graphql resolver each;
// a matrix has 84 cells of six fields.
@ObjectType({
  description: 'One cell of the event x channel matrix.',
  implements: Node,
  simpleResolvers: true,
})
export class PreferenceCell {
  @Field(() => ID, {
    description:
      "A SHARED cell's id names its stack, event type and channel; a PERSONAL cell's also names its user.",
  })
  id: string;

  @Field(() => EventType)
  eventType: EventType;

  @Field(() => ChannelKind)
  channel: ChannelKind;

  @Field()
  enabled: boolean;

  @Field(() => ChannelScope, {
    description: "SHARED cells belong to the stack; PERSONAL ones are the viewer's own.",
  })
  scope: ChannelScope;

  @Field({ description: 'True while the cell has never been set and follows the default.' })
  isDefault: boolean;
}

@ObjectType({
  description: 'A row of the matrix: one event type and its six channel cells.',
  implements: Node,
  simpleResolvers: true,
})
export class EventPreferenceRow {
  @Field(() => ID, {
    description: "Names the stack, the event type and the viewer: the row holds the viewer's own cells.",
  })
  id: string;

  @Field(() => EventType)
  eventType: EventType;

  @Field({ description: 'The dotted wire key, e.g. stack.redeploy.ok.' })
  key: string;

  @Field()
  description: string;

  @Field(() => [PreferenceCell])
  cells: PreferenceCell[];
}

@InputType()
export class PreferenceChange {
  @Field(() => EventType)
  eventType: EventType;

  @Field(() => ChannelKind)
  channel: ChannelKind;

  @Field()
  enabled: boolean;
}

@ObjectType({ description: "An event type's severity on a stack.", simpleResolvers: true })
export class EventSeveritySetting {
  @Field(() => EventType)
  eventType: EventType;

  @Field(() => Severity, { description: "The stack's severity: its own when overridden, else the default." })
  severity: Severity;

  @Field(() => Severity, { description: "The catalogue's default (EventTypeInfo.severity)." })
  defaultSeverity: Severity;

  @Field({ description: 'True when the stack sets its own severity (setEventSeverity).' })
  overridden: boolean;
}
