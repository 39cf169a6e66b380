import { Field, InputType, ObjectType } from 'type-graphql';
import { ChannelKind, EventType } from '../events/event-types';
import { ChannelScope } from '../channels/channel.types';

// Plain data: the fields resolve as property reads (simpleResolvers), not through a type-graphql resolver each;
// a matrix has 84 cells of five fields.
@ObjectType({ description: 'One cell of the event x channel matrix.', simpleResolvers: true })
export class PreferenceCell {
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
  simpleResolvers: true,
})
export class EventPreferenceRow {
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
