import { ArrayMaxSize, ArrayMinSize, ValidateNested } from 'class-validator';
import {
  Arg,
  Args,
  ArgsType,
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  ID,
  Mutation,
  Resolver,
  Root,
  UseMiddleware,
} from 'type-graphql';
import { rejectNulCharacters } from '../../lib/input-hygiene';
import { mapErrors } from '../../graphql/map-errors';
import type { Context } from '../../context';
import { viewerOf } from '../accounts/auth';
import { Scope } from '../accounts/api-token.entity';
import { ChannelKind, EventType, Severity } from '../events/event-types';
import { Stack } from '../stacks/stack.entity';
import {
  EventPreferenceRow,
  EventSeveritySetting,
  PreferenceCell,
  PreferenceChange,
} from './preference.types';

@ArgsType()
class SetEventPreferencesArgs {
  @Field(() => ID)
  stackId: string;

  @Field(() => [PreferenceChange])
  @ArrayMinSize(1)
  @ArrayMaxSize(84, { message: 'changes can hold at most the 84 cells of the matrix' })
  @ValidateNested({ each: true })
  changes: PreferenceChange[];
}

/** Stack.preferences takes no argument: only errors are mapped (no NUL check). */
@UseMiddleware(mapErrors)
@Resolver(() => Stack)
export class StackPreferencesResolver {
  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => [EventPreferenceRow], {
    description:
      "The event x channel matrix as the viewer sees it: the stack's shared cells and the viewer's own.",
  })
  preferences(@Root() stack: Stack, @Ctx() context: Context): Promise<EventPreferenceRow[]> {
    return context.services.preferences.matrix(viewerOf(context), stack);
  }

  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => [EventSeveritySetting], {
    description:
      "Each event type's severity on this stack, in catalogue order: the stack's own where set, else the default.",
  })
  eventSeverities(@Root() stack: Stack, @Ctx() context: Context): Promise<EventSeveritySetting[]> {
    return context.services.preferences.severities(stack);
  }
}

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => Stack)
export class PreferencesResolver {
  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => PreferenceCell, {
    description:
      'Turn one cell on or off: a shared channel by channelId (OWNER or ADMIN), or a personal kind by channel.',
  })
  async setEventPreference(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('eventType', () => EventType) eventType: EventType,
    @Arg('channel', () => ChannelKind, {
      nullable: true,
      description:
        "A personal kind (BROWSER, EMAIL, IOS). A shared kind still names the stack's oldest channel of it, but " +
        'is deprecated: give channelId.',
    })
    channel: ChannelKind | null,
    @Arg('enabled') enabled: boolean,
    @Ctx() context: Context,
    @Arg('channelId', () => ID, { nullable: true, description: 'A shared channel of the stack.' })
    channelId?: string | null,
  ): Promise<PreferenceCell> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    const [cell] = await context.services.preferences.setCells(viewer, stack, [
      { eventType, channel, channelId, enabled },
    ]);
    return cell;
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => [PreferenceCell], { description: 'Set many cells at once: all of them or none.' })
  async setEventPreferences(
    @Args(() => SetEventPreferencesArgs) args: SetEventPreferencesArgs,
    @Ctx() context: Context,
  ): Promise<PreferenceCell[]> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, args.stackId);
    return context.services.preferences.setCells(viewer, stack, args.changes);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => EventSeveritySetting, {
    description:
      'OWNER or ADMIN. Gives an event type of the stack its own severity; notifications published from now on ' +
      'carry it, earlier ones keep theirs.',
  })
  async setEventSeverity(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('eventType', () => EventType) eventType: EventType,
    @Arg('severity', () => Severity) severity: Severity,
    @Ctx() context: Context,
  ): Promise<EventSeveritySetting> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    return context.services.preferences.setSeverity(viewer, stack, eventType, severity);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => EventSeveritySetting, {
    description: "OWNER or ADMIN. Returns an event type of the stack to the catalogue's severity.",
  })
  async clearEventSeverity(
    @Arg('stackId', () => ID) stackId: string,
    @Arg('eventType', () => EventType) eventType: EventType,
    @Ctx() context: Context,
  ): Promise<EventSeveritySetting> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, stackId);
    return context.services.preferences.clearSeverity(viewer, stack, eventType);
  }
}
