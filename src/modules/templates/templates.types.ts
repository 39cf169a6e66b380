// The GraphQL face of message templates and previews.
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { ChannelKind, EventType } from '../events/event-types';

export enum MessageTemplateSource {
  GIVEN = 'GIVEN',
  STORED = 'STORED',
  BUILT_IN = 'BUILT_IN',
}
registerEnumType(MessageTemplateSource, {
  name: 'MessageTemplateSource',
  description:
    "Where a preview took its template from: the one given, the stack's stored one, or the built-in text.",
});

@ObjectType({ description: "A stack's own Liquid template for a channel's messages." })
export class MessageTemplate {
  @Field(() => ID)
  id: string;

  @Field(() => ID, { nullable: true, description: "The shared channel; null for the stack's email." })
  channelId: string | null;

  @Field(() => ChannelKind)
  channel: ChannelKind;

  @Field(() => EventType, {
    nullable: true,
    description: 'Null: every event type without a template of its own.',
  })
  eventType: EventType | null;

  @Field()
  template: string;

  @Field(() => String, {
    nullable: true,
    description: 'EMAIL only: the subject; the built-in one when null.',
  })
  subject: string | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType({ description: 'A message as it would be sent, rendered and not sent.' })
export class MessagePreview {
  @Field({
    description:
      "The text as sent: Slack's text, Hipchat's HTML message, the email's text body (with its footer), the Teams " +
      "card's or Discord embed's text.",
  })
  text: string;

  @Field(() => String, { nullable: true, description: 'EMAIL only.' })
  subject: string | null;

  @Field(() => GraphQLJSON, {
    description:
      "The whole message as the channel gets it: Slack's JSON, Hipchat's form fields, the email's parts.",
  })
  body: unknown;

  @Field(() => MessageTemplateSource)
  source: MessageTemplateSource;

  @Field({ description: 'The template rendered.' })
  template: string;

  @Field(() => String, { nullable: true, description: 'EMAIL only: the subject template rendered.' })
  subjectTemplate: string | null;
}
