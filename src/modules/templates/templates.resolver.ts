import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Query,
  Resolver,
  Root,
  UseMiddleware,
} from 'type-graphql';
import type { Context } from '../../context';
import { mapErrors } from '../../graphql/map-errors';
import { rejectNulCharacters } from '../../lib/input-hygiene';
import { Scope } from '../accounts/api-token.entity';
import { viewerOf } from '../accounts/auth';
import { ChannelKind } from '../events/event-types';
import { Stack } from '../stacks/stack.entity';
import { MessageTemplateKeyInput, PreviewMessageInput, SetMessageTemplateInput } from './templates.inputs';
import { MessagePreview, MessageTemplate } from './templates.types';

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => Stack)
export class MessageTemplatesResolver {
  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => [MessageTemplate], {
    description:
      "The stack's own message templates, of one channel when channelId or channel (EMAIL) is given.",
  })
  messageTemplates(
    @Root() stack: Stack,
    @Arg('channelId', () => ID, { nullable: true }) channelId: string | null,
    @Arg('channel', () => ChannelKind, { nullable: true }) channel: ChannelKind | null,
    @Ctx() context: Context,
  ): Promise<MessageTemplate[]> {
    return context.services.templates.list(stack, { channelId, channel });
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => MessageTemplate, {
    description:
      "OWNER or ADMIN: a channel's message text for an event type (or all), as a Liquid template. Checked by " +
      "rendering it with each event type's sample: an error is BAD_USER_INPUT with its line and column.",
  })
  setMessageTemplate(
    @Arg('input', () => SetMessageTemplateInput) input: SetMessageTemplateInput,
    @Ctx() context: Context,
  ): Promise<MessageTemplate> {
    return context.services.templates.set(viewerOf(context), input);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => MessageTemplate, {
    description:
      'OWNER or ADMIN: back to the template for all event types, or the built-in text. Returns it.',
  })
  removeMessageTemplate(
    @Arg('input', () => MessageTemplateKeyInput) input: MessageTemplateKeyInput,
    @Ctx() context: Context,
  ): Promise<MessageTemplate> {
    return context.services.templates.remove(viewerOf(context), input);
  }

  @Authorized(Scope.SETTINGS_READ)
  @Query(() => MessagePreview, {
    description:
      'What a channel would be sent for an event type, with a template given, stored or built in. Sends nothing.',
  })
  previewMessage(
    @Arg('input', () => PreviewMessageInput) input: PreviewMessageInput,
    @Ctx() context: Context,
  ): Promise<MessagePreview> {
    return context.services.templates.preview(viewerOf(context), input);
  }
}
