import { Arg, Authorized, Ctx, ID, Query, Resolver, UseMiddleware } from 'type-graphql';
import type { Context } from '../context';
import { BadUserInputError } from '../lib/errors';
import { rejectNulCharacters } from '../lib/input-hygiene';
import { accountNodeLoaders } from '../modules/accounts/accounts.nodes';
import { Scope } from '../modules/accounts/api-token.entity';
import { viewerOf } from '../modules/accounts/auth';
import { channelNodeLoaders } from '../modules/channels/channels.nodes';
import { deliveryNodeLoaders } from '../modules/deliveries/deliveries.nodes';
import { eventNodeLoaders } from '../modules/events/events.nodes';
import { incidentNodeLoaders } from '../modules/incidents/incidents.nodes';
import { preferenceNodeLoaders } from '../modules/preferences/preferences.nodes';
import { stackNodeLoaders } from '../modules/stacks/stacks.nodes';
import { mapErrors } from './map-errors';
import { Node, NodeFinder } from './node';

/** Every module's node loaders: one entry per module. */
export const nodeFinder = new NodeFinder([
  ...accountNodeLoaders,
  ...stackNodeLoaders,
  ...eventNodeLoaders,
  ...deliveryNodeLoaders,
  ...channelNodeLoaders,
  ...preferenceNodeLoaders,
  ...incidentNodeLoaders,
]);

export const MAX_NODE_IDS = 100;

@UseMiddleware(mapErrors, rejectNulCharacters)
@Resolver()
export class NodeResolver {
  @Authorized(Scope.SETTINGS_READ)
  @Query(() => Node, {
    nullable: true,
    description:
      "The object with this id if the viewer may see it (as the type's own fields would show it); null for an " +
      'id of another account, of an object hidden from the viewer, of nothing, or that is malformed, as Relay expects.',
  })
  async node(@Arg('id', () => ID) id: string, @Ctx() context: Context): Promise<Node | null> {
    const [found] = await nodeFinder.find(viewerOf(context), [id], context.services);
    return found as Node | null;
  }

  @Authorized(Scope.SETTINGS_READ)
  @Query(() => [Node], {
    nullable: 'items',
    description: `Query.node for each of at most ${MAX_NODE_IDS} ids, in their order: null for each the viewer may not see.`,
  })
  async nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() context: Context): Promise<(Node | null)[]> {
    if (ids.length > MAX_NODE_IDS) {
      throw new BadUserInputError(`can name at most ${MAX_NODE_IDS} ids, not ${ids.length}`, 'ids');
    }
    return (await nodeFinder.find(viewerOf(context), ids, context.services)) as (Node | null)[];
  }
}
