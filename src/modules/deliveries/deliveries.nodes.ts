// Node loaders of the deliveries module: what Query.node finds by the id of a delivery.
import { rowLoader, type NodeLoader } from '../../graphql/node';

export const deliveryNodeLoaders: NodeLoader[] = [
  rowLoader('Delivery', (viewer, ids, services) => services.deliveries.visibleDeliveries(viewer, ids)),
];
