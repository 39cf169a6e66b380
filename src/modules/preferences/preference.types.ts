import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { ChannelKind, EventGroup, EventType, Severity } from '../events/event-types';
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
      "A shared channel's cell names its stack, event type and channel id; a PERSONAL cell's names its stack, " +
      'event type, kind and user; a kind-level cell (EventPreferenceRow.cells) its stack, event type and kind.',
  })
  id: string;

  @Field(() => EventType)
  eventType: EventType;

  @Field(() => ChannelKind, { description: "The channel's kind." })
  channel: ChannelKind;

  @Field(() => ID, {
    nullable: true,
    description: 'The shared channel (Stack.sharedChannels) the cell is of; null for personal cells.',
  })
  channelId: string | null;

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
  description: 'A row of the matrix: one event type and its cells.',
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

  @Field({
    description:
      'The event\'s human name, e.g. "Stack provisioned successfully": what the inbox, email and chat messages call it.',
  })
  title: string;

  @Field({ description: 'The same words as title.' })
  description: string;

  @Field(() => EventGroup, { description: 'The part of the catalogue the event belongs to.' })
  group: EventGroup;

  @Field(() => [PreferenceCell], {
    deprecationReason:
      'Use channelCells: a cell per shared channel. Here each shared kind (HIPCHAT, SLACK, WEBHOOK) stands for ' +
      "the stack's oldest channel of the kind.",
    description: 'Six cells, one per kind of the original catalogue.',
  })
  cells: PreferenceCell[];

  @Field(() => [PreferenceCell], {
    description:
      "The viewer's personal cells (BROWSER, EMAIL, IOS), then one per shared channel of the stack, oldest first.",
  })
  channelCells: PreferenceCell[];
}

@InputType({ description: 'One cell: a shared channel by channelId, or a personal kind by channel.' })
export class PreferenceChange {
  @Field(() => EventType)
  eventType: EventType;

  @Field(() => ChannelKind, {
    nullable: true,
    description:
      "A personal kind (BROWSER, EMAIL, IOS). A shared kind still names the stack's oldest channel of it, but " +
      'is deprecated: give channelId.',
  })
  channel?: ChannelKind | null;

  @Field(() => ID, { nullable: true, description: 'A shared channel of the stack (Channel.channelId).' })
  channelId?: string | null;

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
