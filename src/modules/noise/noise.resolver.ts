import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Resolver,
  Root,
  UseMiddleware,
} from 'type-graphql';
import type { Context } from '../../context';
import { mapErrors } from '../../graphql/map-errors';
import { rejectNulCharacters } from '../../lib/input-hygiene';
import { Scope } from '../accounts/api-token.entity';
import { viewerOf } from '../accounts/auth';
import { User } from '../accounts/user.entity';
import { ChannelKind } from '../events/event-types';
import { Stack } from '../stacks/stack.entity';
import { ChannelDigest, FlappingInput, FlappingSettings, QuietHours, QuietHoursInput } from './noise.types';

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => User)
export class QuietHoursResolver {
  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => QuietHours, {
    nullable: true,
    description: "The user's quiet hours (null: none): shown to the user themselves only, null for others.",
  })
  quietHours(@Root() user: User, @Ctx() context: Context): Promise<QuietHours | null> | null {
    if (user.id !== viewerOf(context).user.id) return null;
    return context.services.noise.quietHours(user.id);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => User, {
    description:
      'Set your quiet hours (replacing any): notifications below CRITICAL to your own channels wait until the ' +
      'window ends and arrive as one summary per channel. Returns you, with quietHours.',
  })
  async setQuietHours(
    @Arg('input', () => QuietHoursInput) input: QuietHoursInput,
    @Ctx() context: Context,
  ): Promise<User> {
    const viewer = viewerOf(context);
    await context.services.noise.setQuietHours(viewer, input);
    return viewer.user;
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => User, {
    description: 'Remove your quiet hours. What is held already still waits for its window to end.',
  })
  async clearQuietHours(@Ctx() context: Context): Promise<User> {
    const viewer = viewerOf(context);
    await context.services.noise.clearQuietHours(viewer);
    return viewer.user;
  }
}

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => Stack)
export class DigestsResolver {
  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => [ChannelDigest], { description: "Digests set on the stack's channels." })
  digests(@Root() stack: Stack, @Ctx() context: Context): Promise<ChannelDigest[]> {
    return context.services.noise.digests(stack);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => ChannelDigest, {
    description:
      'OWNER or ADMIN: a digest on one channel of the stack (on EMAIL, IOS or BROWSER: on every person’s, for ' +
      'this stack). In each window, `allowance` notifications go out at once and the rest wait for one digest ' +
      'at the window’s end. Webhooks get one POST per event unless a digest is set on WEBHOOK.',
  })
  async setDigest(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('channel', () => ChannelKind) channel: ChannelKind,
    @Arg('windowMinutes', () => Int, { description: '1 to 1440.' }) windowMinutes: number,
    @Arg('allowance', () => Int, { description: '0 to 1000.' }) allowance: number,
    @Ctx() context: Context,
  ): Promise<ChannelDigest> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    return context.services.noise.setDigest(viewer, stack, { channel, windowMinutes, allowance });
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => Stack, { description: 'OWNER or ADMIN: remove the digest of one channel of the stack.' })
  async clearDigest(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('channel', () => ChannelKind) channel: ChannelKind,
    @Ctx() context: Context,
  ): Promise<Stack> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    await context.services.noise.clearDigest(viewer, stack, channel);
    return stack;
  }
}

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => Stack)
export class FlappingResolver {
  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => FlappingSettings, {
    description: "When the stack's subjects flap: its own rule, or the service's defaults.",
  })
  flapping(@Root() stack: Stack, @Ctx() context: Context): Promise<FlappingSettings> {
    return context.services.noise.flapping(stack);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => FlappingSettings, {
    description:
      'OWNER or ADMIN: the stack’s own flapping rule. A subject (a server, a job...) whose incidents open more ' +
      'than `threshold` times within `windowMinutes` flaps: its notifications wait and go out as one summary per ' +
      'window until it has had no transition for `settleMinutes`, then one message says it settled.',
  })
  async setFlapping(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('input', () => FlappingInput) input: FlappingInput,
    @Ctx() context: Context,
  ): Promise<FlappingSettings> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    return context.services.noise.setFlapping(viewer, stack, input);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => Stack, {
    description: "OWNER or ADMIN: the stack's flapping rule back to the service's defaults.",
  })
  async clearFlapping(@Arg('stackId', () => ID) stackId: string, @Ctx() context: Context): Promise<Stack> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    await context.services.noise.clearFlapping(viewer, stack);
    return stack;
  }
}
