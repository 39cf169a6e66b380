// Node loaders of the events module: what Query.node finds by the id of a notification.
import { rowLoader, type NodeLoader } from '../../graphql/node';

export const eventNodeLoaders: NodeLoader[] = [
  rowLoader('Notification', (viewer, ids, services) => services.events.visibleNotifications(viewer, ids)),
];
