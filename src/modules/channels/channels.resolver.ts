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
import { ChannelKind } from '../events/event-types';
import { Stack } from '../stacks/stack.entity';
import { ChannelTestResult } from '../deliveries/delivery.types';
import {
  HipchatInput,
  IosDeviceInput,
  SlackInput,
  WebhookInput,
  WebPushSubscriptionInput,
} from './channel.inputs';
import {
  BrowserChannel,
  Channel,
  ConfigureWebhookPayload,
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
    description: "The six channels: the stack's shared ones and the viewer's own.",
  })
  channels(@Root() stack: Stack, @Ctx() context: Context): Promise<Channel[]> {
    return context.services.channels.listForViewer(viewerOf(context), stack);
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

/** The channel a test went through, as the tester sees it now. */
@UseMiddleware(mapErrors)
@Resolver(() => ChannelTestResult)
export class ChannelTestResultResolver {
  @FieldResolver(() => Channel, { description: 'The channel tested, as it is now.' })
  channel(@Root() result: ChannelTestResult, @Ctx() context: Context): Promise<Channel> {
    return context.services.channels.channelForViewer(viewerOf(context), result.stack, result.kind);
  }
}

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => Stack)
export class ChannelsResolver {
  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => HipchatChannel, {
    description: 'OWNER or ADMIN: post to a Hipchat room with an API v1 token.',
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
  @Mutation(() => SlackChannel, { description: 'OWNER or ADMIN: post to a Slack incoming webhook.' })
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
    description: 'OWNER or ADMIN: POST every notification to a URL.',
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
    description: 'OWNER or ADMIN: a new signing secret, shown once. The old one keeps signing for 24 hours.',
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
    description: 'OWNER or ADMIN: remove a shared channel (HIPCHAT, SLACK or WEBHOOK).',
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
