// Node loaders of the deliveries module: what Query.node finds by the id of a delivery or of an attempt.
import { rowLoader, type NodeLoader } from '../../graphql/node';

/** The number an attempt was recorded under, as its id writes it. */
const ATTEMPT_NUMBER = /^[1-9][0-9]{0,15}$/;

export const deliveryNodeLoaders: NodeLoader[] = [
  rowLoader('Delivery', (viewer, ids, services) => services.deliveries.visibleDeliveries(viewer, ids)),
  {
    typeNames: ['DeliveryAttempt'],
    // As the attempts of its delivery show it: to whoever may see the delivery.
    byDerivedId: async (viewer, { typeName, parts }, services) => {
      if (parts.length !== 1 || !ATTEMPT_NUMBER.test(parts[0])) return null;
      const attempt = await services.deliveries.visibleAttempt(viewer, Number(parts[0]));
      return attempt && { typeName, value: attempt };
    },
  },
];
