import { IsOptional, MaxLength } from 'class-validator';
import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { TEMPLATE_MAX_CHARS } from '../../lib/liquid-sandbox';
import { ChannelKind, EventType } from '../events/event-types';

/** The longest subject template accepted. */
export const SUBJECT_TEMPLATE_MAX_CHARS = 1000;

const CHANNEL_ID =
  "A shared channel's id (Slack, Hipchat...); the Channel.id of the stack's channel of that kind is accepted too.";
const CHANNEL = "EMAIL for the stack's email, in place of channelId.";

/** Which channel of which stack: channelId for a shared channel, channel: EMAIL for the stack's email. */
@InputType({
  description: 'A message template of a channel: for one event type, or all when eventType is null.',
})
export class MessageTemplateKeyInput {
  @Field(() => ID)
  stackId: string;

  @Field(() => ID, { nullable: true, description: CHANNEL_ID })
  channelId?: string | null;

  @Field(() => ChannelKind, { nullable: true, description: CHANNEL })
  @IsOptional()
  channel?: ChannelKind | null;

  @Field(() => EventType, {
    nullable: true,
    description: 'The event type; null (or omitted) for every event type that has no template of its own.',
  })
  @IsOptional()
  eventType?: EventType | null;
}

@InputType({ description: "A Liquid template for a channel's messages; README lists its variables." })
export class SetMessageTemplateInput extends MessageTemplateKeyInput {
  @Field({ description: `At most ${TEMPLATE_MAX_CHARS} characters.` })
  @MaxLength(TEMPLATE_MAX_CHARS)
  template: string;

  @Field(() => String, {
    nullable: true,
    description: 'EMAIL only: the subject; the built-in one when null.',
  })
  @IsOptional()
  @MaxLength(SUBJECT_TEMPLATE_MAX_CHARS)
  subject?: string | null;
}

@InputType({ description: 'What to preview: a channel, an event type, and optionally a template and data.' })
export class PreviewMessageInput {
  @Field(() => ID)
  stackId: string;

  @Field(() => ID, { nullable: true, description: CHANNEL_ID })
  channelId?: string | null;

  @Field(() => ChannelKind, { nullable: true, description: CHANNEL })
  @IsOptional()
  channel?: ChannelKind | null;

  @Field(() => EventType)
  eventType: EventType;

  @Field(() => String, {
    nullable: true,
    description: 'The template to try; the stored one (or the built-in one) when omitted.',
  })
  @IsOptional()
  @MaxLength(TEMPLATE_MAX_CHARS)
  template?: string | null;

  @Field(() => String, { nullable: true, description: 'EMAIL only, with template: the subject to try.' })
  @IsOptional()
  @MaxLength(SUBJECT_TEMPLATE_MAX_CHARS)
  subject?: string | null;

  @Field(() => GraphQLJSON, {
    nullable: true,
    description:
      "The event's data (a JSON object, at most 64 KiB), rendered strictly; when omitted, a sample of the event " +
      'type, with a placeholder for each data field the template names that the sample lacks.',
  })
  data?: unknown;
}
