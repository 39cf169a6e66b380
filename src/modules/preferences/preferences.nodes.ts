// Node loaders of the preferences module: what Query.node finds by the id of a preference row or cell.
import type { NodeLoader } from '../../graphql/node';
import {
  type ChannelKind,
  eventTypeOfName,
  isSharedChannel,
  KIND_VIEW_CHANNELS,
} from '../events/event-types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const preferenceNodeLoaders: NodeLoader[] = [
  {
    typeNames: ['PreferenceCell', 'EventPreferenceRow'],
    // As Stack.preferences shows them to the viewer: a shared cell to anyone of the stack's account; a personal
    // cell, and a row (it holds personal cells), to their own user only.
    byDerivedId: async (viewer, { typeName, parts }, services) => {
      const [stackId, eventTypeName, ...rest] = parts;
      const eventType = eventTypeOfName(eventTypeName ?? '');
      if (!eventType) return null;
      if (typeName === 'EventPreferenceRow') {
        if (rest.length !== 1 || rest[0] !== viewer.user.id) return null;
        const stack = await services.stacks.find(viewer, stackId);
        if (!stack) return null;
        return { typeName, value: await services.preferences.row(viewer, stack, eventType) };
      }
      const [channelName, ...user] = rest;
      if (UUID.test(channelName ?? '') && user.length === 0) {
        // A shared channel's cell.
        const stack = await services.stacks.find(viewer, stackId);
        if (!stack) return null;
        const cell = await services.preferences.channelCell(viewer, stack, eventType, channelName);
        return cell ? { typeName, value: cell } : null;
      }
      if (!(KIND_VIEW_CHANNELS as readonly string[]).includes(channelName)) return null;
      const channel = channelName as ChannelKind;
      // A shared cell's id names no user; a personal cell's names the viewer.
      const userParts = isSharedChannel(channel) ? [] : [viewer.user.id];
      if (user.length !== userParts.length || user.some((part, index) => part !== userParts[index]))
        return null;
      const stack = await services.stacks.find(viewer, stackId);
      if (!stack) return null;
      return { typeName, value: await services.preferences.cell(viewer, stack, eventType, channel) };
    },
  },
];
