import {
  Arg,
  Args,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  Resolver,
  Root,
  UseMiddleware,
} from 'type-graphql';
import type { Context } from '../../context';
import { mapErrors } from '../../graphql/map-errors';
import { rejectNulCharacters } from '../../lib/input-hygiene';
import { ConnectionArgs, ConnectionType, type Connection } from '../../lib/pagination';
import { Scope } from '../accounts/api-token.entity';
import { viewerOf } from '../accounts/auth';
import { NotificationConnection } from '../events/events.resolver';
import type { NotificationView } from '../events/notification.types';
import { Stack } from '../stacks/stack.entity';
import { IncidentsArgs, IncidentView } from './incident.types';

export const IncidentConnection = ConnectionType(IncidentView, 'Incident');

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => Stack)
export class StackIncidentsResolver {
  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => IncidentConnection, {
    description:
      "The stack's incidents, newest first (by openedAt), open ones or resolved ones only if asked.",
  })
  incidents(
    @Root() stack: Stack,
    @Args(() => IncidentsArgs) args: IncidentsArgs,
    @Ctx() context: Context,
  ): Promise<Connection<IncidentView>> {
    return context.services.incidents.list(stack, args);
  }

  @Authorized(Scope.SETTINGS_WRITE)
  @Mutation(() => IncidentView, {
    description:
      'Resolves an open incident by hand: the only way for process and container incidents, whose failures have no ' +
      'recovery event. Anyone of the account with settings:write. A resolved incident is returned unchanged.',
  })
  resolveIncident(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<IncidentView> {
    return context.services.incidents.resolve(viewerOf(context), id);
  }
}

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver(() => IncidentView)
export class IncidentResolver {
  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => Stack)
  stack(@Root() incident: IncidentView, @Ctx() context: Context): Promise<Stack> {
    return context.services.stacks.get(viewerOf(context), incident.stackId);
  }

  @Authorized(Scope.SETTINGS_READ)
  @FieldResolver(() => NotificationConnection, {
    description: 'The notifications that opened, joined and resolved it, newest first.',
  })
  async notifications(
    @Root() incident: IncidentView,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() context: Context,
  ): Promise<Connection<NotificationView>> {
    const viewer = viewerOf(context);
    const stack = await context.services.stacks.get(viewer, incident.stackId);
    return context.services.events.incidentHistory(viewer, stack, incident.id, args);
  }
}
