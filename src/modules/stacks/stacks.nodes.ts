// Node loaders of the stacks module: what Query.node finds by the id of a stack.
import { In } from 'typeorm';
import { rowLoader, type NodeLoader } from '../../graphql/node';
import { Stack } from './stack.entity';

export const stackNodeLoaders: NodeLoader[] = [
  // The stacks of the viewer's account, as Query.stack finds them.
  rowLoader('Stack', (viewer, ids, services) =>
    services.dataSource.getRepository(Stack).findBy({ id: In([...ids]), accountId: viewer.account.id }),
  ),
];
