// Node loaders of the channels module: what Query.node finds by the id of a channel, an iOS device or a Web Push
// subscription.
import { rowLoader, type NodeLoader } from '../../graphql/node';
import { ChannelKind, isPersonalChannel } from '../events/event-types';

/** The kind of each channel type: a channel's id is its type's name and the stack's (or the user's) id. */
const kindOfType = new Map<string, ChannelKind>([
  ['HipchatChannel', ChannelKind.HIPCHAT],
  ['SlackChannel', ChannelKind.SLACK],
  ['WebhookChannel', ChannelKind.WEBHOOK],
  ['EmailChannel', ChannelKind.EMAIL],
  ['IosChannel', ChannelKind.IOS],
  ['BrowserChannel', ChannelKind.BROWSER],
]);

export const channelNodeLoaders: NodeLoader[] = [
  {
    typeNames: [...kindOfType.keys()],
    // A shared channel of a stack of the viewer's account, as Stack.channels shows it to the viewer; a personal
    // channel to its own user only.
    byDerivedId: async (viewer, { typeName, parts }, services) => {
      const kind = kindOfType.get(typeName);
      if (!kind || parts.length !== 1) return null;
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
