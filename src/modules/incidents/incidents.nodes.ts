// Node loaders of the incidents module: what Query.node finds by the id of an incident.
import { rowLoader, type NodeLoader } from '../../graphql/node';

export const incidentNodeLoaders: NodeLoader[] = [
  // The incidents of the viewer's account's stacks.
  rowLoader('Incident', (viewer, ids, services) => services.incidents.visible(viewer, ids)),
];
