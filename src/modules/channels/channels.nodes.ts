// Node loaders of the channels module: what Query.node finds by the id of a channel, an iOS device or a Web Push
// subscription.
import { rowLoader, type NodeLoader } from '../../graphql/node';
import { ChannelKind, isPersonalChannel, KIND_VIEW_CHANNELS } from '../events/event-types';

/**
 * The kind of each channel type. A shared channel's id is its row's; a kind-level entry's (deprecated Stack.channels)
 * and a personal channel's are the type's name and the stack's (or the user's) id.
 */
const kindOfType = new Map<string, ChannelKind>([
  ['HipchatChannel', ChannelKind.HIPCHAT],
  ['SlackChannel', ChannelKind.SLACK],
  ['WebhookChannel', ChannelKind.WEBHOOK],
  ['TeamsChannel', ChannelKind.TEAMS],
  ['DiscordChannel', ChannelKind.DISCORD],
  ['EmailChannel', ChannelKind.EMAIL],
  ['IosChannel', ChannelKind.IOS],
  ['BrowserChannel', ChannelKind.BROWSER],
]);

const typeOfKind = new Map([...kindOfType].map(([typeName, kind]) => [kind, typeName]));

export const channelNodeLoaders: NodeLoader[] = [
  {
    typeNames: [...kindOfType.keys()],
    // Shared channels of stacks of the viewer's account, as Stack.sharedChannels shows them.
    byRowIds: async (viewer, ids, services) =>
      (await services.channels.sharedChannelsByIds(viewer, ids)).map((value) => ({
        typeName: typeOfKind.get(value.kind)!,
        value,
      })),
    // A shared channel of a stack of the viewer's account, as Stack.channels shows it to the viewer; a personal
    // channel to its own user only.
    byDerivedId: async (viewer, { typeName, parts }, services) => {
      const kind = kindOfType.get(typeName);
      // Teams and Discord channels have no kind-level entry: only their own ids.
      if (!kind || parts.length !== 1 || !KIND_VIEW_CHANNELS.includes(kind)) return null;
      const [ownerId] = parts;
      if (isPersonalChannel(kind)) {
        if (ownerId !== viewer.user.id) return null;
        return { typeName, value: await services.channels.personalChannelForViewer(viewer, kind) };
      }
      const stack = await services.stacks.find(viewer, ownerId);
      if (!stack) return null;
      return { typeName, value: await services.channels.channelForViewer(viewer, stack, kind) };
    },
  },
  // The viewer's own devices and subscriptions, as their IosChannel and BrowserChannel list them: nobody else's.
  rowLoader('IosDevice', (viewer, ids, services) => services.channels.devicesByIds(viewer, ids)),
  rowLoader('WebPushSubscription', (viewer, ids, services) =>
    services.channels.webPushSubscriptionsByIds(viewer, ids),
  ),
];
