// The executable schema, built from every module's resolvers; also printed to schema.graphql.
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema, type NonEmptyArray, type PubSub } from 'type-graphql';
import { authChecker } from './modules/accounts/auth';
import { AccountResolver, UserResolver } from './modules/accounts/accounts.resolver';
import {
  BrowserChannelResolver,
  ChannelsResolver,
  ChannelTestResultResolver,
  ChannelHealthResolver,
  IosChannelResolver,
  StackChannelsResolver,
} from './modules/channels/channels.resolver';
import { EventTypesResolver } from './modules/events/event-types.resolver';
import { EventsResolver } from './modules/events/events.resolver';
import { DeliveriesResolver, DeliveryAttemptResolver } from './modules/deliveries/deliveries.resolver';
import { PreferencesResolver, StackPreferencesResolver } from './modules/preferences/preferences.resolver';
import { StacksResolver } from './modules/stacks/stacks.resolver';
import { IncidentResolver, StackIncidentsResolver } from './modules/incidents/incidents.resolver';
import { NodeResolver } from './graphql/node.resolver';
import { DigestsResolver, FlappingResolver, QuietHoursResolver } from './modules/noise/noise.resolver';
import { MessageTemplatesResolver } from './modules/templates/templates.resolver';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export const resolvers: NonEmptyArray<Function> = [
  UserResolver,
  AccountResolver,
  StacksResolver,
  ChannelsResolver,
  ChannelTestResultResolver,
  ChannelHealthResolver,
  StackChannelsResolver,
  IosChannelResolver,
  BrowserChannelResolver,
  PreferencesResolver,
  StackPreferencesResolver,
  EventTypesResolver,
  EventsResolver,
  DeliveriesResolver,
  DeliveryAttemptResolver,
  QuietHoursResolver,
  DigestsResolver,
  FlappingResolver,
  StackIncidentsResolver,
  IncidentResolver,
  MessageTemplatesResolver,
  NodeResolver,
];

/**
 * type-graphql insists on a PubSub once a subscription exists. Ours subscribe through the live bus
 * (EventsService.subscribe), so topic-based subscriptions are refused loudly rather than silently never firing.
 */
const noTopicPubSub: PubSub = {
  publish() {
    throw new Error('Publish through the live bus (EventsService), not the type-graphql PubSub');
  },
  subscribe() {
    throw new Error('Subscriptions subscribe through the live bus: give @Subscription a subscribe function');
  },
};

export function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    pubSub: noTopicPubSub,
    resolvers,
    authChecker,
    validate: { forbidUnknownValues: false },
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  });
}

export function printSortedSchema(schema: GraphQLSchema): string {
  return printSchema(lexicographicSortSchema(schema)) + '\n';
}
