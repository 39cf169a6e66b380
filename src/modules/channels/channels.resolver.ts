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
import { rejectNulCharacters } from '../../lib/input-hygiene';
import { mapErrors } from '../../graphql/map-errors';
import type { Context } from '../../context';
import { viewerOf } from '../accounts/auth';
import { Scope } from '../accounts/api-token.entity';
import { ChannelKind, PERSONAL_CHANNELS, type PersonalChannelKind } from '../events/event-types';
import { Stack } from '../stacks/stack.entity';
import { ChannelTestResult } from '../deliveries/delivery.types';
import {
  ChannelInput,
  HipchatInput,
  IosDeviceInput,
  SlackInput,
  WebhookInput,
  WebPushSubscriptionInput,
} from './channel.inputs';
import {
  BrowserChannel,
  Channel,
  ChannelHealth,
  ChannelScope,
  ChannelPayload,
  ConfigureWebhookPayload,
  DeleteChannelPayload,
  HipchatChannel,
  IosChannel,
  RotateWebhookSecretPayload,
  SlackChannel,
} from './channel.types';
import { IosDevice } from './ios-device.entity';
import { WebPushSubscription } from './web-push-subscription.entity';

/** Stack.channels takes no argument: only errors are mapped (no NUL check). */
@UseMiddleware(mapErrors)
@Resolver(() => Stack)
export class StackChannelsResolver {
  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => [Channel], {
    description:
      "Six entries, one per kind of the original catalogue: the viewer's own channels and, for HIPCHAT, SLACK and " +
      "WEBHOOK, the stack's oldest channel of the kind.",
    deprecationReason: 'Use sharedChannels (every shared channel, by id) and personalChannels.',
  })
  channels(@Root() stack: Stack, @Ctx() context: Context): Promise<Channel[]> {
    return context.services.channels.listForViewer(viewerOf(context), stack);
  }

  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => [Channel], {
    description:
      "The stack's shared channels (Hipchat, Slack, webhook, Teams, Discord; several of a kind), oldest first.",
  })
  sharedChannels(@Root() stack: Stack, @Ctx() context: Context): Promise<Channel[]> {
    return context.services.channels.sharedChannelsForViewer(viewerOf(context), stack);
  }

  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => [Channel], {
    description: "The viewer's own channels: BROWSER, EMAIL and IOS, the same on each of their stacks.",
  })
  personalChannels(@Ctx() context: Context): Promise<Channel[]> {
    const viewer = viewerOf(context);
    return Promise.all(
      PERSONAL_CHANNELS.map((kind) =>
        context.services.channels.personalChannelForViewer(viewer, kind as PersonalChannelKind),
      ),
    );
  }
}

/** The viewer's devices, read only when a query asks for them (listForViewer does not). */
@UseMiddleware(mapErrors)
@Resolver(() => IosChannel)
export class IosChannelResolver {
  @FieldResolver(() => [IosDevice])
  devices(@Root() channel: IosChannel, @Ctx() context: Context): IosDevice[] | Promise<IosDevice[]> {
    return channel.devices ?? context.services.channels.devicesOf(viewerOf(context));
  }
}

/** The viewer's Web Push subscriptions, read only when a query asks for them (listForViewer does not). */
@UseMiddleware(mapErrors)
@Resolver(() => BrowserChannel)
export class BrowserChannelResolver {
  @FieldResolver(() => [WebPushSubscription])
  webPushSubscriptions(
    @Root() channel: BrowserChannel,
    @Ctx() context: Context,
  ): WebPushSubscription[] | Promise<WebPushSubscription[]> {
    return (
      channel.webPushSubscriptions ?? context.services.channels.webPushSubscriptionsOf(viewerOf(context))
    );
  }
}

/**
 * The health of every shared channel of a stack is read in one statement, the first time a request asks for that of
 * one of them, and kept for the rest of the request (a list of channels, a mutation's payload, node(id:)).
 */
const healthByRequest = new WeakMap<Context, Map<string, Promise<Map<string, ChannelHealth>>>>();

function stackHealth(context: Context, stackId: string): Promise<Map<string, ChannelHealth>> {
  let stacks = healthByRequest.get(context);
  if (!stacks) healthByRequest.set(context, (stacks = new Map()));
  let health = stacks.get(stackId);
  if (!health) stacks.set(stackId, (health = context.services.channels.healthOfStackChannels(stackId)));
  return health;
}

@UseMiddleware(mapErrors)
@Resolver(() => Channel)
export class ChannelHealthResolver {
  @FieldResolver(() => ChannelHealth, {
    nullable: true,
    description:
      "A shared channel's last delivery, failing streak and dead deliveries; null for personal channels and for a " +
      'kind-level entry with no channel of its kind.',
  })
  async health(@Root() channel: Channel, @Ctx() context: Context): Promise<ChannelHealth | null> {
    if (channel.scope !== ChannelScope.SHARED || !channel.channelId || !channel.stackId) return null;
    return (await stackHealth(context, channel.stackId)).get(channel.channelId) ?? null;
  }
}

/** The channel a test went through, as the tester sees it now. */
@UseMiddleware(mapErrors)
@Resolver(() => ChannelTestResult)
export class ChannelTestResultResolver {
  @FieldResolver(() => Channel, { description: 'The channel tested, as it is now.' })
  async channel(@Root() result: ChannelTestResult, @Ctx() context: Context): Promise<Channel> {
    const viewer = viewerOf(context);
    if (result.channelId) {
      const [channel] = await context.services.channels.sharedChannelsByIds(viewer, [result.channelId]);
      if (channel) return channel;
    }
    return context.services.channels.channelForViewer(viewer, result.stack, result.kind);
  }
}

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => Stack)
export class ChannelsResolver {
  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => ChannelPayload, {
    description:
      'OWNER or ADMIN: a new shared channel of the stack, of the kind whose settings the input gives. A webhook ' +
      'channel returns its signing secret this once.',
  })
  async createChannel(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('input', () => ChannelInput) input: ChannelInput,
    @Ctx() context: Context,
  ): Promise<ChannelPayload> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    return context.services.channels.createChannel(viewer, stack, input);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => ChannelPayload, {
    description:
      'OWNER or ADMIN: rename a shared channel, or configure it again with new settings of its kind (which ' +
      'enables it again), or both. A webhook keeps its signing secret.',
  })
  updateChannel(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ChannelInput) input: ChannelInput,
    @Ctx() context: Context,
  ): Promise<ChannelPayload> {
    return context.services.channels.updateChannel(viewerOf(context), id, input);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => DeleteChannelPayload, {
    description:
      'OWNER or ADMIN: remove a shared channel and its cells. Its deliveries stay in the log; those still waiting ' +
      'for it fail.',
  })
  deleteChannel(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<DeleteChannelPayload> {
    return context.services.channels.deleteChannel(viewerOf(context), id);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => ChannelPayload, {
    description:
      'OWNER or ADMIN: a new signing secret for a webhook channel, shown once. The old one keeps signing for 24 hours.',
  })
  rotateChannelSigningSecret(
    @Arg('id', () => ID) id: string,
    @Ctx() context: Context,
  ): Promise<ChannelPayload> {
    return context.services.channels.rotateSigningSecret(viewerOf(context), id);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => HipchatChannel, {
    description:
      "OWNER or ADMIN: configure the stack's oldest Hipchat channel, creating it if there is none.",
    deprecationReason: 'Use createChannel or updateChannel with input.hipchat.',
  })
  async configureHipchat(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('input', () => HipchatInput) input: HipchatInput,
    @Ctx() context: Context,
  ): Promise<HipchatChannel> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    return context.services.channels.configureHipchat(viewer, stack, input);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => SlackChannel, {
    description: "OWNER or ADMIN: configure the stack's oldest Slack channel, creating it if there is none.",
    deprecationReason: 'Use createChannel or updateChannel with input.slack.',
  })
  async configureSlack(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('input', () => SlackInput) input: SlackInput,
    @Ctx() context: Context,
  ): Promise<SlackChannel> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    return context.services.channels.configureSlack(viewer, stack, input);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => ConfigureWebhookPayload, {
    description:
      "OWNER or ADMIN: configure the stack's oldest webhook channel, creating it if there is none.",
    deprecationReason: 'Use createChannel or updateChannel with input.webhook.',
  })
  async configureWebhook(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('input', () => WebhookInput) input: WebhookInput,
    @Ctx() context: Context,
  ): Promise<ConfigureWebhookPayload> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    return context.services.channels.configureWebhook(viewer, stack, input);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => RotateWebhookSecretPayload, {
    description:
      "OWNER or ADMIN: a new signing secret for the stack's oldest webhook channel, shown once. The old one keeps " +
      'signing for 24 hours.',
    deprecationReason: 'Use rotateChannelSigningSecret.',
  })
  async rotateWebhookSecret(
    @Arg('stackId', () => ID) stackId: string,
    @Ctx() context: Context,
  ): Promise<RotateWebhookSecretPayload> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    return context.services.channels.rotateWebhookSecret(viewer, stack);
  }

  @Authorized(Scope.SETTINGS_READ)
  @Query(() => String, {
    description: "The server's VAPID public key, for PushManager.subscribe (base64url).",
  })
  vapidPublicKey(@Ctx() context: Context): string {
    return context.services.vapid.publicKey;
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => Channel, {
    description:
      "OWNER or ADMIN: remove the stack's oldest channel of a shared kind; returns the kind-level entry for what " +
      'is left.',
    deprecationReason: 'Use deleteChannel.',
  })
  async removeChannel(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('kind', () => ChannelKind) kind: ChannelKind,
    @Ctx() context: Context,
  ): Promise<Channel> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    return context.services.channels.removeChannel(viewer, stack, kind);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => IosDevice, { description: "Register the viewer's iOS device for push notifications." })
  registerIosDevice(@Arg('input', () => IosDeviceInput) input: IosDeviceInput, @Ctx() context: Context) {
    return context.services.channels.registerIosDevice(viewerOf(context), input);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => Boolean)
  unregisterIosDevice(@Arg('token') token: string, @Ctx() context: Context): Promise<boolean> {
    return context.services.channels.unregisterIosDevice(viewerOf(context), token);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => ID, {
    description:
      "Remove one of the viewer's iOS devices by its id (IosDevice.id), e.g. from a page that lists them; the app, " +
      'which holds the device token, calls unregisterIosDevice. Returns the id.',
  })
  removeIosDevice(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<string> {
    return context.services.channels.removeIosDevice(viewerOf(context), id);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => WebPushSubscription, { description: "Register the viewer's browser for Web Push." })
  registerWebPushSubscription(
    @Arg('input', () => WebPushSubscriptionInput) input: WebPushSubscriptionInput,
    @Ctx() context: Context,
  ): Promise<WebPushSubscription> {
    return context.services.channels.registerWebPushSubscription(viewerOf(context), input);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => Boolean)
  unregisterWebPushSubscription(
    @Arg('endpoint') endpoint: string,
    @Ctx() context: Context,
  ): Promise<boolean> {
    return context.services.channels.unregisterWebPushSubscription(viewerOf(context), endpoint);
  }
}
