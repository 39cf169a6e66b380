// The GraphQL face of channels: one interface, one type per kind, secrets only as hints. The object types are
// plain data: their fields resolve as property reads (simpleResolvers), with no type-graphql resolver around each.
import { Field, ID, InterfaceType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { ChannelKind } from '../events/event-types';
import { IosDevice } from './ios-device.entity';
import { CONFIGURE_WARNING, WebPushSubscription } from './web-push-subscription.entity';

export enum ChannelScope {
  SHARED = 'SHARED',
  PERSONAL = 'PERSONAL',
}
registerEnumType(ChannelScope, {
  name: 'ChannelScope',
  description:
    'SHARED channels belong to the stack and are set up by OWNER or ADMIN; PERSONAL ones to each user.',
});

@ObjectType({
  description:
    'How a shared channel has been delivering: the last attempt of its newest attempted delivery, its failing ' +
    'streak and its dead deliveries.',
  simpleResolvers: true,
})
export class ChannelHealth {
  @Field(() => Date, { nullable: true, description: 'When it was last tried; null when it never was.' })
  lastDeliveryAt: Date | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether that attempt got through; null when none was made.',
  })
  lastDeliveryOk: boolean | null;

  @Field(() => Int, {
    nullable: true,
    description: "The HTTP status of that attempt's answer, when one came.",
  })
  lastStatusCode: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why that attempt failed, as the delivery log says it; null when it got through.',
  })
  lastError: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Since when every attempt has failed; null after a success. A streak longer than the configured hours ' +
      'disables the channel (disabledReason).',
  })
  failingSince: Date | null;

  @Field(() => Int, { description: 'Deliveries that failed every attempt of the retry schedule (DEAD).' })
  deadCount: number;
}

/**
 * A channel value is an instance of its object type's class (HipchatChannel, ...): type-graphql's default type
 * resolution (instanceof) is synchronous, where a resolveType option is wrapped in an async function, one promise
 * per channel.
 */
@InterfaceType({
  description: 'A place notifications of a stack are sent to, as the viewer sees it.',
})
export abstract class Channel {
  @Field(() => ID, {
    description:
      "A shared channel's own id (Stack.sharedChannels). In the deprecated kind-level list (Stack.channels) a " +
      "shared channel's id names its stack and kind, and is stable across configuring and removing; a personal " +
      "channel's names its user: it is the same channel on each of their stacks.",
  })
  id: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'The id of the shared channel this is: what setEventPreference, updateChannel and deleteChannel take. ' +
      'Null for personal channels and for a kind-level entry with no channel of its kind.',
  })
  channelId: string | null;

  @Field(() => ChannelKind)
  kind: ChannelKind;

  @Field({
    description:
      'A shared channel\'s name, unique in its stack, e.g. "Slack #deploys"; a personal channel\'s kind.',
  })
  name: string;

  @Field(() => ChannelScope)
  scope: ChannelScope;

  @Field({ description: 'Whether the channel has what it needs to deliver (a URL, a token, a device...).' })
  configured: boolean;

  @Field({ description: 'False when the channel was disabled, e.g. after failing for too long.' })
  enabled: boolean;

  @Field(() => String, { nullable: true })
  disabledReason: string | null;

  /** The stack of a shared channel with a row, for its health; not a field. */
  stackId?: string | null;
}

@ObjectType({ implements: [Channel, Node], simpleResolvers: true })
export class HipchatChannel extends Channel {
  @Field(() => String, { nullable: true })
  room: string | null;

  @Field(() => String, { nullable: true, description: 'The last characters of the API token.' })
  tokenHint: string | null;
}

@ObjectType({ implements: [Channel, Node], simpleResolvers: true })
export class SlackChannel extends Channel {
  @Field(() => String, { nullable: true, description: 'The Slack channel name, when one was given.' })
  channelName: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The host and last characters of the incoming-webhook URL.',
  })
  urlHint: string | null;

  @Field(() => String, {
    nullable: true,
    description: CONFIGURE_WARNING,
  })
  warning?: string | null;
}

@ObjectType({ implements: [Channel, Node], simpleResolvers: true })
export class WebhookChannel extends Channel {
  @Field(() => String, {
    nullable: true,
    description:
      'The endpoint URL, for callers who may change the channel (OWNER or ADMIN with settings:write); null for ' +
      'others, as it can carry a secret: they see urlHint.',
  })
  url: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The host and last characters of the path of the endpoint URL.',
  })
  urlHint: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The start and last characters of the signing secret.',
  })
  secretHint: string | null;
}

@ObjectType({ implements: [Channel, Node], simpleResolvers: true })
export class TeamsChannel extends Channel {
  @Field(() => String, {
    nullable: true,
    description: 'The host and last characters of the Teams incoming-webhook or Workflows URL.',
  })
  urlHint: string | null;
}

@ObjectType({ implements: [Channel, Node], simpleResolvers: true })
export class DiscordChannel extends Channel {
  @Field(() => String, {
    nullable: true,
    description: 'The host and last characters of the Discord channel-webhook URL.',
  })
  urlHint: string | null;
}

@ObjectType({ implements: [Channel, Node], simpleResolvers: true })
export class EmailChannel extends Channel {
  @Field({ description: "The viewer's address." })
  address: string;
}

@ObjectType({ implements: [Channel, Node], simpleResolvers: true })
export class IosChannel extends Channel {
  /** Read when asked for (IosChannelResolver), unless given. */
  @Field(() => [IosDevice])
  devices?: IosDevice[];
}

@ObjectType({ implements: [Channel, Node], simpleResolvers: true })
export class BrowserChannel extends Channel {
  /** Read when asked for (BrowserChannelResolver), unless given. */
  @Field(() => [WebPushSubscription])
  webPushSubscriptions?: WebPushSubscription[];
}

@ObjectType({
  description: 'A webhook channel as configured; signingSecret is shown only when it was generated.',
})
export class ConfigureWebhookPayload {
  @Field(() => WebhookChannel)
  channel: WebhookChannel;

  @Field(() => String, {
    nullable: true,
    description: 'The whsec_ signing secret: returned once, when the webhook is first configured.',
  })
  signingSecret: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A reason deliveries may not get through yet, e.g. that the host does not resolve from this server now.',
  })
  warning: string | null;
}

@ObjectType()
export class RotateWebhookSecretPayload {
  @Field(() => WebhookChannel)
  channel: WebhookChannel;

  @Field({ description: 'The new whsec_ signing secret, shown only this once.' })
  signingSecret: string;
}

@ObjectType({ description: 'A shared channel as created or changed.' })
export class ChannelPayload {
  @Field(() => Channel)
  channel: Channel;

  @Field(() => String, {
    nullable: true,
    description: "A webhook channel's whsec_ signing secret: returned once, when it is created or rotated.",
  })
  signingSecret: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'A reason deliveries may not get through yet, e.g. that the host does not resolve from this server now.',
  })
  warning: string | null;
}

@ObjectType({ description: 'What deleteChannel removed.' })
export class DeleteChannelPayload {
  @Field(() => ID)
  deletedChannelId: string;

  @Field(() => Int, {
    description:
      'Deliveries that were still waiting for the channel and failed, as there is nowhere to send them.',
  })
  stoppedDeliveries: number;
}
